#!/bin/bash
# cwd-gone.sh DIR: the current directory renamed, then removed, by other
# processes (cwd-gone.test). Prints what this shell's children see.
d=$1
rm -rf "$d"; mkdir -p "$d" && cd "$d" || exit 1
mkdir a && cd a || exit 1
echo "== renamed by another process"
sh -c 'mv ../a ../b'
# A fork child's first look: it starts in the folder, now b.
echo "child's pwd -P: $(/bin/pwd -P | sed "s,^$d,D,")"
touch made-after
ls ../b
echo "== removed by another process"
cd "$d" && mkdir gone && cd gone || exit 1
sh -c 'rmdir ../gone'
/usr/bin/python3 -c '
import os
try:
    print("getcwd:", os.getcwd())
except OSError as e:
    print("getcwd:", e.strerror)
print("cwd link ends:", os.readlink("/proc/self/cwd").rsplit("/", 1)[1])'
touch new 2>/dev/null; echo "touch rc=$?"
mkdir newdir 2>/dev/null; echo "mkdir rc=$?"
ls ../b
echo "== '.' is still the folder, removed"
ls; echo "ls rc=$?"
/usr/bin/python3 -c '
import os, stat
print("listdir:", os.listdir("."))
fd = os.open(".", os.O_RDONLY | os.O_DIRECTORY)
print("open: a folder", stat.S_ISDIR(os.fstat(fd).st_mode))
s = os.stat("./")
print("stat: a folder", stat.S_ISDIR(s.st_mode), "links", s.st_nlink)
try:
    os.open(".", os.O_RDWR)
except OSError as e:
    print("open for writing:", e.strerror)'
stat -c '%F' .
cd .. && echo "cd .. now $(/bin/pwd | sed "s,^$d,D,")"
cd / && rm -rf "$d"
