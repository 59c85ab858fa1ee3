#!/bin/bash
# proc-other-fd.sh DIR: another process's descriptor of a file in DIR
# (made and removed), reached by /proc/<pid>/fd/N (proc-other-fd.test):
# stat through the name is the file's, readlink names it, fuser finds the
# process; its descriptor listing has none of the personality's; and
# other processes' current directories (/proc/<pid>/cwd).
d=$1
rm -rf "$d"; mkdir -p "$d"; cd "$d" || exit 1
echo data > f
sleep 5 < f &
pid=$!
sleep 0.3
[ "$(stat -L -c %d:%i f)" = "$(stat -L -c %d:%i /proc/$pid/fd/0)" ] &&
  echo "stat through /proc/PID/fd/0: the file" ||
  echo "stat through /proc/PID/fd/0: another file"
[ "$(readlink /proc/$pid/fd/0)" = "$PWD/f" ] && echo "readlink: the file's path"
# Its descriptors as a listing shows them: the personality's own (from
# 1000 up) are not the program's.
echo "listed above 999: $(ls /proc/$pid/fd | awk '$1 > 999' | wc -l)"
if command -v fuser > /dev/null; then
  fuser f 2> /dev/null | grep -qw "$pid" && echo "fuser: finds the reader" ||
    echo "fuser: does not find it"
else
  echo "fuser: not installed"
fi
kill $pid
wait $pid 2> /dev/null
mkdir sub
sleep 5 &
same=$!
(cd sub && exec sleep 5) &
moved=$!
sleep 0.3
[ "$(readlink /proc/$same/cwd)" = "$PWD" ] && echo "a child's cwd: the shell's folder"
[ "$(readlink /proc/$moved/cwd)" = "$PWD/sub" ] && echo "a child that moved: its folder"
if command -v pwdx > /dev/null; then
  pwdx $moved | sed "s|^$moved: $PWD|PID: DIR|"
else
  echo "PID: DIR/sub"
fi
kill $same $moved
wait 2> /dev/null
cd / && rm -rf "$d"
