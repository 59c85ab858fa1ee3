#!/bin/bash
# bench/sdet/measure.sh LABEL: where an SDET script's time goes under K42.
# Boots a kernel of build B (default: build/) on a socket of its own under
# /tmp/k42m-$TAG, runs 5 scripts under k42-exec, and prints per script the
# CPU of the kernel and its servers (utime+stime from /proc/<pid>/stat),
# the clients' CPU, context switches and page faults (perf stat on the
# client tree), and the wall time. Usage: B=build REPO=. TAG=name LABEL.
# Needs perf (linux-perf). Alternate two builds' runs: the machine is noisy.
export REPO=${REPO:-$(cd "$(dirname "$0")/../.." && pwd)} TAG=${TAG:-$$}
export B=${B:-$REPO/build}
export K42_HOST_PATHS=$REPO:$B
D=/tmp/k42m-$TAG; mkdir -p $D; S=$D/kernel.sock
export K42_KERNEL_SOCKET=$S
$B/bin/k42-kernel --boot $B/boot/linux.boot --daemon --socket $S >/dev/null
KP=$(pgrep -f "socket $S" -o); pids="$KP $(pgrep -P $KP)"
snap() { t=0; for p in $pids; do set -- $(cut -d' ' -f14,15 /proc/$p/stat); t=$((t+$1+$2)); done; echo $t; }
$B/bin/k42-exec bash $REPO/bench/sdet/workload.sh /tmp/$TAG-m0 >/dev/null 2>&1
a=$(snap); t0=$(date +%s%N)
perf stat -x, -e task-clock,context-switches,page-faults -o $D/m.perf -- bash -c 'for i in 1 2 3 4 5; do $B/bin/k42-exec bash $REPO/bench/sdet/workload.sh /tmp/$TAG-m$i >/dev/null 2>&1; done'
t1=$(date +%s%N); b=$(snap)
echo "$1 servers $(( (b-a)*10/5 )) ms/script client $(awk -F, '/task-clock/{printf "%d", $1/5}' $D/m.perf) ms/script wall $(( (t1-t0)/5000000 )) ms/script cs $(awk -F, '/context-switches/{printf "%d", $1/5}' $D/m.perf) faults $(awk -F, '/page-faults/{printf "%d", $1/5}' $D/m.perf) per script"
$B/bin/k42ctl --socket $S shutdown >/dev/null 2>&1 || K42_KERNEL_SOCKET=$S $B/bin/k42ctl shutdown >/dev/null 2>&1
sleep 1
