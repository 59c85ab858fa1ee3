#!/bin/bash
# parked-close.sh BUILD SYSDIR SCRATCH: a personality process (bash, on the
# system at SYSDIR/kernel.sock) opens and closes a file of the read-only
# /etc mount 100 times, then waits; meanwhile the /etc hostfs's host
# descriptors are counted. Such a file is read from the host by the
# process itself (the open is authorised without a handle), so the server
# holds no descriptor for it; a Stable handle the server did make (a host
# directory the process cannot reach) would be parked, at most
# FsBridge::ParkedMax (16) a process. None once it exits (ClientGone).
# SCRATCH is a host folder for the hand-offs. Run inside the system's pid
# namespace (inside.sh), where k42ctl's pids and /proc are the system's.
set -u
build=$1 sys=$2 scratch=$3
export K42_KERNEL_SOCKET=$sys/kernel.sock
rm -rf "$scratch" && mkdir -p "$scratch" || exit 1
await() {
  for _ in $(seq 1 1000); do
    [ -e "$1" ] && return 0
    sleep 0.01
  done
  echo "parked-close: $1 never appeared" >&2
  exit 1
}
# This system's hostfs serving /etc (other tests run systems of their own).
etc=
for pid in $("$build/bin/k42ctl" ps | awk '$4 == "hostfs" { print $2 }'); do
  if tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q ' /etc '; then
    etc=$pid
  fi
done
[ -n "$etc" ] || { echo "parked-close: no hostfs for /etc" >&2; exit 1; }
fds() { ls "/proc/$etc/fd" | wc -l; }
before=$(fds)
"$build/bin/k42-exec" bash -c '
  for i in $(seq 1 100); do exec 3< /etc/passwd; exec 3<&-; done
  touch "$1/ready"
  while [ ! -e "$1/go" ]; do sleep 0.01; done' bash "$scratch" &
client=$!
await "$scratch/ready"
held=$(( $(fds) - before ))
# The client's channel (a descriptor or two) and no handle.
if [ "$held" -le 2 ]; then
  echo "while the client lives: no handle held for its reads"
else
  echo "while the client lives: $held descriptors more than before"
fi
touch "$scratch/go"
wait "$client"
for _ in $(seq 1 1000); do
  [ "$(fds)" -le "$before" ] && break
  sleep 0.01
done
echo "after it exits: $(( $(fds) - before )) more than before"
