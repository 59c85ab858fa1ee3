#!/bin/bash
# pipe-replies.sh BUILD SYSDIR SCRATCH: puts a hostile pipe server
# (linux-pipereplies serve) at SYSDIR/pipe.sock in place of the system's,
# runs `linux-pipereplies open` under the personality against it, and puts
# the system's server back. Prints what the program printed and its
# status; a program that hangs is ended after a minute (status 124).
set -u
build=$1 sys=$2 scratch=$3
here=$(dirname "$0")
rm -rf "$scratch" && mkdir -p "$scratch" || exit 1
fail() { echo "pipe-replies: $*" >&2; exit 1; }
. "$here/await.sh"
prog=$build/test/linux/linux-pipereplies
mv "$sys/pipe.sock" "$sys/pipe.sock.real" || fail "no pipe server socket"
# Bound by its name in the folder: the folder's path may be past sun_path.
(cd "$sys" && exec "$prog" serve pipe.sock "$scratch/ready") &
server=$!
await "$scratch/ready"
K42_KERNEL_SOCKET=$sys/kernel.sock timeout 60 "$build/bin/k42-exec" \
  "$prog" open /tmp/k42-pipe-replies-fifo
status=$?
kill "$server"
wait "$server" 2> /dev/null
rm -f "$sys/pipe.sock"
mv "$sys/pipe.sock.real" "$sys/pipe.sock"
echo "status $status"
