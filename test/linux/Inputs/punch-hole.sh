#!/bin/bash
# punch-hole.sh DIR: fallocate's hole punching on files in DIR (made and
# removed) (punch-hole.test): the bytes read as zeros, the size stays, a
# range past the end or a shared descriptor's view as Linux's.
d=$1
rm -rf "$d"; mkdir -p "$d"; cd "$d" || exit 1
seq 1 5000 > f
fallocate -p -o 4096 -l 4096 f; echo "punch: rc $?"
stat -c 'size %s' f
od -An -c -j 4094 -N 4 f
od -An -c -j 8190 -N 4 f
tr -d '\0' < f | cmp -s - <(seq 1 5000 | head -c 4096; seq 1 5000 | tail -c +8193) &&
  echo "the rest untouched"
printf abc > small
fallocate -p -o 1 -l 1 small; od -An -c small
fallocate -p -o 100000 -l 10 small; echo "past the end: rc $?"; stat -c 'size %s' small
exec 3< small
fallocate -p -o 0 -l 1 small; od -An -c <&3
exec 3<&-
# Reserving space: the blocks count it (du), the size grows only without
# KEEP_SIZE.
fallocate -l 1M r; echo "reserve: rc $?"; stat -c 'size %s' r
[ "$(stat -c %b r)" -ge 2048 ] && echo "1M counted in blocks"
[ "$(du -k r | cut -f1)" -ge 1024 ] && echo "du says 1M"
printf x > k; fallocate -n -l 65536 k; echo "keep size: rc $?"; stat -c 'size %s' k
[ "$(stat -c %b k)" -ge 128 ] && echo "64K counted in blocks"
od -An -c k
cd / && rm -rf "$d"
