#!/bin/bash
# fsize.sh DIR: bash under `ulimit -f 100` (fsize.test): pipes (the
# personality's ring is a memfd larger than the limit) and 300000 bytes
# through one; files opened and written below the limit (in /tmp under
# `ulimit -f 64`, below the personality's memfd of a K42 file); the
# program's own writes to a file in DIR past the limit: SIGXFSZ kills the
# writer (head, a subshell), EFBIG and "File too large" when it ignores
# SIGXFSZ, truncate's EFBIG; the file holds exactly the limit's bytes;
# the same for K42's files in /tmp.
set -u
d=$1
rm -rf "$d" && mkdir -p "$d" || exit 1
ulimit -f 100
echo "limit $(ulimit -f)"
seq 1 5 | sort -rn | head -2
head -c 300000 /dev/zero | wc -c
x=$(echo substituted); echo "$x"
echo small > "$d/small" && cat "$d/small"
# (bash's report of a death by signal names the pid: not kept)
{ head -c 200000 /dev/zero > "$d/big"; } 2> /dev/null
echo "head past the limit $?"
stat -c 'big %s' "$d/big"
{ (printf '%200000s' x > "$d/sub"); } 2> /dev/null
echo "subshell past the limit $?"
stat -c 'sub %s' "$d/sub"
(trap '' XFSZ; exec head -c 200000 /dev/zero > "$d/ignored")
echo "ignored SIGXFSZ $?"
stat -c 'ignored %s' "$d/ignored"
{ truncate -s 200000 "$d/t"; } 2> /dev/null
echo "truncate past the limit $?"
truncate -s 1000 "$d/t"; stat -c 't %s' "$d/t"
# The same in /tmp: K42's files under the personality, which applies the
# limit to them as Linux does to its own (they were written whole).
k=/tmp/k42-fsize-test3.$$
mkdir -p "$k"
{ head -c 200000 /dev/zero > "$k/big"; } 2> /dev/null
echo "K42 head past the limit $?"
stat -c 'K42 big %s' "$k/big"
(trap '' XFSZ; exec head -c 200000 /dev/zero > "$k/ignored")
echo "K42 ignored SIGXFSZ $?"
stat -c 'K42 ignored %s' "$k/ignored"
{ (echo more >> "$k/big"); } 2> /dev/null
echo "K42 append at the limit $?"
{ truncate -s 200000 "$k/t"; } 2> /dev/null
echo "K42 truncate past the limit $?"
truncate -s 1000 "$k/t"; stat -c 'K42 t %s' "$k/t"
rm -rf "$k"
seq 1 3 | wc -l
# Below an open file description's memfd (72 KiB): a file in /tmp (K42's
# under the personality) opened, written and read back.
( ulimit -f 64; f=/tmp/k42-fsize-test.$$; echo "in /tmp" > "$f" && cat "$f"; rm -f "$f" )
# The same in a shell that opened a K42 file under the higher limit
# first (the personality keeps the limit it read until the program sets
# it; this shell never set one before): its own opens after `ulimit -f 64`.
bash -c 'echo before > "$1"; ulimit -f 64; exec 3< "$1"
  echo after >> "$1"; cat <&3; rm -f "$1"' sh "/tmp/k42-fsize-test2.$$"
# A limit below the personality's own state: every program the shell runs
# after `ulimit -f 1` (its exec's state, the pipe ends', the overlay's) was
# killed by SIGXFSZ (OwnMemfd::write).
( ulimit -f 1; /bin/true; echo "true under ulimit -f 1: $?"; echo piped | cat
  seq 1 3 | sort -r | head -1 )
