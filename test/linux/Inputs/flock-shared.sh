#!/bin/bash
# flock-shared.sh DIR PY: locks shared with children and kept across exec
# (flock-shared.test), in DIR (made and removed); PY is flock-shared.py.
d=$1
rm -rf "$d"; mkdir -p "$d"; cd "$d" || exit 1
echo "== exec 9>lk; flock 9 (flock(1) is a child)"
exec 9> lk
flock 9
flock -n lk true; echo "another open while the shell holds it: rc $?"
flock -w 0.2 lk true; echo "waiting for it: rc $?"
flock -u 9
flock -n lk true; echo "after flock -u 9: rc $?"
exec 9>&-
echo "== in a subshell"
( exec 8> lk; flock -n 8 && { flock -n lk true; echo "subshell holds it: rc $?"; } )
flock -n lk true; echo "subshell gone: rc $?"
echo "== a fork child's flock"
python3 "$2" fork-flock
python3 "$2" spawn-flock
python3 "$2" posix-spawn-flock
echo "== a record lock across exec"
python3 "$2" lockf-exec
cd / && rm -rf "$d"
