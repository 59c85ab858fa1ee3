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
fail() { echo "mount-watch: $*" >&2; exit 1; }
. "$(dirname "$0")/await.sh"

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
