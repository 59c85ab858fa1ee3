#!/bin/bash
# mount-watch-fork.sh BUILD SYSDIR SCRATCH: runs mount-watch-fork-chain.sh
# on the system at SYSDIR/kernel.sock twice: a ramfs is mounted at /late
# while the parent lives (alive), and after it is gone and the kernel has
# dropped it (gone); each time the child, blocked on a host FIFO in
# SCRATCH meanwhile, then looks at /late. The ramfs is stopped between the
# two and waited for with k42-fs, so the second case starts without it.
set -u
build=$1 sys=$2 scratch=$3
export K42_KERNEL_SOCKET=$sys/kernel.sock
chain="$(dirname "$0")/mount-watch-fork-chain.sh"
ramfs= dir=
# Whatever happens, the ramfs does not outlive the test, nor does a chain
# process blocked on a FIFO: opening it for reading and writing, then
# closing it, lets a blocked open through to EOF.
cleanup() {
  [ -n "$ramfs" ] && kill "$ramfs" 2>/dev/null
  for fifo in "$dir/go" "$dir/ready"; do
    [ -n "$dir" ] && [ -p "$fifo" ] && exec 9<>"$fifo" 9>&-
  done
}
trap cleanup EXIT
fail() { echo "mount-watch-fork: $*" >&2; exit 1; }
. "$(dirname "$0")/await.sh"
for case in alive gone; do
  dir=$scratch/$case
  rm -rf "$dir" && mkdir -p "$dir" && mkfifo "$dir/go" "$dir/ready" || exit 1
  "$build/bin/k42-exec" bash "$chain" $case "$dir" > "$dir/out" 2>&1 &
  parent=$!
  await "$dir/child.ready"
  if [ $case = gone ]; then
    wait "$parent" || fail "the parent failed"
    # Gone for the kernel too (its ClientGone to the name server is then
    # queued before anything the new ramfs asks).
    for _ in $(seq 1 1000); do
      "$build/bin/k42ctl" ps | awk -v p="$parent" '$2 == p { n++ } END { exit !n }' || break
      sleep 0.01
    done
  fi
  "$build/bin/k42-ramfs" --mount /late --dir /sub > "$dir/ramfs.log" 2>&1 &
  ramfs=$!
  await_mount yes
  echo > "$dir/go"
  await "$dir/child.done"
  [ $case = alive ] && { wait "$parent" || fail "the parent failed"; }
  kill "$ramfs"
  wait "$ramfs" 2>/dev/null
  ramfs=
  await_mount no
  cat "$dir/out"
done
