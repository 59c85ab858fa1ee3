#!/bin/bash
# host-writer.sh DIR: writes made without the personality (host-writer.test):
# ld.so's, before the personality's constructor could arm, into a pipe and
# into a file in DIR (made and removed).
d=$1
rm -rf "$d"; mkdir -p "$d"; cd "$d" || exit 1
echo "== ldd into a pipe"
ldd /bin/true | sed 's/ (0x.*//'
echo "== LD_TRACE_LOADED_OBJECTS with a preload of the program's own"
LD_PRELOAD=/nonexistent/libk42-missing.so LD_TRACE_LOADED_OBJECTS=1 /bin/true 2>&1 |
  sed 's/ (0x.*//'
echo "== ld.so's error into a pipe"
LD_PRELOAD=/nonexistent/libk42-missing.so /bin/true 2>&1 | cat
echo "status ${PIPESTATUS[*]}"
echo "== in order with the shell's own writes"
{
  echo before
  LD_PRELOAD=/nonexistent/libk42-missing.so /bin/true
  echo after
} 2>&1 | cat
for i in 1 2 3 4 5 6 7 8; do ldd /bin/true; done | sed 's/ (0x.*//' | sort | uniq -c
echo "== ld.so run as a program: its tunables"
/lib64/ld-linux-x86-64.so.2 --list-tunables | sort | wc -l
echo "== a file the same writes go to still works"
{
  echo before
  LD_PRELOAD=/nonexistent/libk42-missing.so /bin/true
  echo after
} > out 2>&1
grep -v ERROR out
exec 3> out2
echo one >&3
LD_TRACE_LOADED_OBJECTS=1 /bin/true >&3
echo two >&3
exec 3>&-
grep -v '=>\|(0x' out2
cd / && rm -rf "$d"
