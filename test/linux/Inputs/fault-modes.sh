#!/bin/sh
# fault-modes.sh DIR MODES PROGRAM...: runs `PROGRAM MODE DIR-MODE` for
# each of MODES (space-separated), printing "== MODE", what the program
# printed (stdout and stderr) and "status N" (128 + the signal that killed
# it). No core files.
dir=$1
modes=$2
shift 2
ulimit -c 0
for mode in $modes; do
  echo "== $mode"
  "$@" "$mode" "$dir-$mode" 2>&1
  echo "status $?"
done
