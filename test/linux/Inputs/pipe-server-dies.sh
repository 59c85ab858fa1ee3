#!/bin/bash
# pipe-server-dies.sh BUILD SYSDIR SCRATCH [kill]: runs PipeServerDies.c
# (linux-pipeserverdies SCRATCH) natively, or with `kill` under the
# personality on the system at SYSDIR, whose pipe server it kills
# (SIGKILL, from inside the system's pid namespace: inside.sh) once the
# program has made its pipes, and waits for it to be gone before the
# program goes on. Prints what the program printed and its status; a
# program that hangs is ended after a minute (status 124).
set -u
build=$1 sys=$2 scratch=$3 mode=${4:-native}
here=$(dirname "$0")
rm -rf "$scratch" && mkdir -p "$scratch" || exit 1
fail() { echo "pipe-server-dies: $*" >&2; exit 1; }
. "$here/await.sh"
prog=$build/test/linux/linux-pipeserverdies
if [ "$mode" = kill ]; then
  K42_KERNEL_SOCKET=$sys/kernel.sock timeout 60 "$build/bin/k42-exec" \
    "$prog" "$scratch" > "$scratch/out" 2>&1 &
else
  timeout 60 "$prog" "$scratch" > "$scratch/out" 2>&1 &
fi
client=$!
await "$scratch/ready"
if [ "$mode" = kill ]; then
  sh "$here/inside.sh" "$sys" bash -c '
    pid=$("$1/bin/k42ctl" --socket "$2/kernel.sock" ps | awk '\''$4 == "pipe" { print $2 }'\'')
    [ -n "$pid" ] || exit 1
    kill -KILL "$pid"
    while kill -0 "$pid" 2> /dev/null; do sleep 0.01; done' bash "$build" "$sys" ||
    fail "no pipe server to kill"
fi
touch "$scratch/go"
wait "$client"
status=$?
cat "$scratch/out"
echo "status $status"
