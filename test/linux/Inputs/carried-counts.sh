#!/bin/sh
# carried-counts.sh EXEC_LOG ONE_LOG: compares the exit reports that
# K42_LINUX_TRAP_STATS=1 writes ("k42-linux: pid P exits: T calls
# trapped, S sites patched, C calls through patched sites, K sites carried
# over from exec") of an image exec'd by one that ran the same loop
# (EXEC_LOG) and of one image alone (ONE_LOG). Prints the figures on
# stderr and, on stdout, whether the exec'd image had sites carried over
# (at least three) and trapped at least two calls fewer for each (each of
# them trapped three times before it was patched in the image alone),
# and whether the image alone had none.
report() {
  grep -m1 ' exits: ' "$1" | sed 's/.* exits: \([0-9]*\) calls trapped, \([0-9]*\) sites patched, \([0-9]*\) calls through patched sites, \([0-9]*\) sites carried.*/\1 \2 \3 \4/'
}
set -- "$(report "$1")" "$(report "$2")"
echo "exec'd: $1 (trapped, sites, calls through sites, carried over); alone: $2" >&2
echo "$1 $2" | awk '{
  print "carried over: " ($4 >= 3 ? "yes" : "no")
  print "fewer traps: " ($1 + 2 * $4 <= $5 ? "yes" : "no")
  print "alone, none carried: " ($8 == 0 ? "yes" : "no")
}'
