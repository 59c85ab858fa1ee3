#!/bin/sh
# trap-counts.sh ON_LOG OFF_LOG: compares the exit reports that
# K42_LINUX_TRAP_STATS=1 writes ("k42-linux: pid P exits: T calls trapped,
# S sites patched, C calls through patched sites") of the first process
# of a run with site patching on (ON_LOG) and one with K42_NO_SITE_PATCH=1
# (OFF_LOG). Prints the figures on stderr and, on stdout, whether patching
# cut the traps to under a quarter with at least three sites patched and
# the calls that no longer trapped going through them, and whether the
# switch left every call trapped.
report() {
  grep -m1 ' exits: ' "$1" | sed 's/.* exits: \([0-9]*\) calls trapped, \([0-9]*\) sites patched, \([0-9]*\) calls.*/\1 \2 \3/'
}
set -- "$(report "$1")" "$(report "$2")"
echo "on: $1 (trapped, sites, calls through sites); off: $2" >&2
echo "$1 $2" | awk '{
  print "fewer traps: " ($1 * 4 < $4 ? "yes" : "no")
  print "sites patched: " ($2 >= 3 ? "yes" : "no")
  print "calls through sites: " ($3 + $1 >= $4 / 2 ? "yes" : "no")
  print "switched off, no site: " ($5 == 0 && $6 == 0 ? "yes" : "no")
}'
