#!/bin/bash
# server-gone.sh BUILD SYSDIR SCRATCH: linux-servergone (on the system at
# SYSDIR/kernel.sock) uses a file of a ramfs mounted at /late from threads
# while the ramfs is killed and its mount goes away (ServerGone.c). SCRATCH
# is a host folder for the hand-offs between the two sides.
set -u
build=$1 sys=$2 scratch=$3
export K42_KERNEL_SOCKET=$sys/kernel.sock
rm -rf "$scratch" && mkdir -p "$scratch" || exit 1
fail() { echo "server-gone: $*" >&2; exit 1; }
. "$(dirname "$0")/await.sh"

"$build/bin/k42-ramfs" --mount /late --dir /sub > "$scratch/ramfs.log" 2>&1 &
ramfs=$!
# Whatever happens, the ramfs does not outlive the test.
trap 'kill "$ramfs" 2>/dev/null' EXIT
await_mount yes
"$build/bin/k42-exec" "$build/test/linux/linux-servergone" /late/f "$scratch" \
  > "$scratch/out" 2>&1 &
program=$!
await "$scratch/opened"
kill "$ramfs"
wait "$ramfs" 2>/dev/null
await_mount no
touch "$scratch/killed"
wait "$program"
status=$?
cat "$scratch/out"
exit $status
