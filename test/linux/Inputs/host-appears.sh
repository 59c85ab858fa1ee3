#!/bin/bash
# host-appears.sh BUILD SYSDIR SCRATCH: a file that appears on the host
# under a read-only mount (/etc) while a personality process runs is found
# by that process's next lookup and by a program it then runs: lookups
# there are answered by the host, with no cache to go stale
# (runtime/linux/README.md, "Read-only files from the host"). The file is
# made by this script, natively, and removed at its end. SCRATCH is a host
# folder for the hand-offs.
set -u
build=$1 sys=$2 scratch=$3
export K42_KERNEL_SOCKET=$sys/kernel.sock
name=/etc/k42-host-appears-$$
rm -rf "$scratch" && mkdir -p "$scratch" || exit 1
trap 'rm -f "$name"' EXIT
"$build/bin/k42-exec" bash -c '
  if [ -e "$1" ]; then echo "before: found"; else echo "before: missing"; fi
  cat "$1" 2> /dev/null || echo "before: cat fails"
  touch "$2/ready"
  while [ ! -e "$2/go" ]; do sleep 0.01; done
  if [ -e "$1" ]; then echo "after: found"; else echo "after: missing"; fi
  cat "$1"' bash "$name" "$scratch" &
client=$!
for _ in $(seq 1 1000); do
  [ -e "$scratch/ready" ] && break
  sleep 0.01
done
echo "after: cat reads it" > "$name"
touch "$scratch/go"
wait "$client"
