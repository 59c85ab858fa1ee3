#!/bin/bash
# mount-watch.sh BUILD SYSDIR SCRATCH: one personality process (bash, on
# the system at SYSDIR/kernel.sock, exec'ing itself twice:
# mount-watch-chain.sh) reads the mount table, then a ramfs is mounted at
# /late and later stopped while it runs; the process's own path calls
# (bash's builtin `test`, no new process) see each change, in programs it
# exec'd after it read the table. SCRATCH is a host folder for the
# hand-offs between the two sides.
set -u
build=$1 sys=$2 scratch=$3
export K42_KERNEL_SOCKET=$sys/kernel.sock
rm -rf "$scratch" && mkdir -p "$scratch" || exit 1
# Waits for FILE to appear, for up to ten seconds (a hang is a failure).
await() {
  for _ in $(seq 1 1000); do
    [ -e "$1" ] && return 0
    sleep 0.01
  done
  echo "mount-watch: $1 never appeared" >&2
  exit 1
}
# Waits until a K42 client finds /late/sub (yes) or not (no).
await_mount() {
  for _ in $(seq 1 1000); do
    if "$build/bin/k42-fs" ls /late 2>/dev/null | grep -q ' sub$'; then
      [ "$1" = yes ] && return 0
    else
      [ "$1" = no ] && return 0
    fi
    sleep 0.01
  done
  echo "mount-watch: /late mounted never became $1" >&2
  exit 1
}

"$build/bin/k42-exec" bash "$(dirname "$0")/mount-watch-chain.sh" a "$scratch" \
  > "$scratch/out" 2>&1 &
shell=$!
await "$scratch/read"
"$build/bin/k42-ramfs" --mount /late --dir /sub > "$scratch/ramfs.log" 2>&1 &
ramfs=$!
# Whatever happens, the ramfs does not outlive the test.
trap 'kill "$ramfs" 2>/dev/null' EXIT
await_mount yes
touch "$scratch/mounted"
await "$scratch/seen"
kill "$ramfs"
wait "$ramfs" 2>/dev/null
await_mount no
touch "$scratch/unmounted"
wait "$shell"
status=$?
cat "$scratch/out"
exit $status
