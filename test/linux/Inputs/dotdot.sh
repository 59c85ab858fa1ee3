#!/bin/bash
# dotdot.sh DIR: '..' from a folder's descriptor (dotdot.test). rm -rf
# and find -delete of chains of 6, 7 and 10 folders with other names
# beside them and in them, and of a git repository among other files
# (gnulib's fts climbs with openat(fd, "..") once its four-descriptor
# ring is empty); then python3: openat(fd, "..") of a folder opened
# through a symlink, /proc/self/fd of a folder opened with '..' in its
# path, '..' of a removed folder's descriptor. DIR is made and removed.
d=$1
rm -rf "$d"; mkdir -p "$d"; cd "$d" || exit 1
chain() { local p=$1; for _ in $(seq "$2"); do p=$p/d; done; echo "$p"; }
for n in 6 7 10; do
  p=$(chain q$n "$n")
  mkdir -p "$p" && touch q$n/z q$n/a "$p/f" "$(dirname "$p")/g" && mkdir q$n/y
  rm -rf q$n; echo "rm -rf $n: $? left $(find . -path "./q$n*" | wc -l)"
  mkdir -p "$p" && touch q$n/z q$n/a "$p/f" && mkdir q$n/y
  find q$n -delete; echo "find -delete $n: $? left $(find . -path "./q$n*" | wc -l)"
done
if command -v git >/dev/null; then
  mkdir r && touch r/a r/z && HOME=$d git init -q r/g && cd r/g &&
    echo hi > a && git add a &&
    git -c user.name=t -c user.email=t@t commit -qm one && cd "$d"
  rm -rf r; echo "rm -rf git: $? left $(find . -path './r*' | wc -l)"
else
  echo "rm -rf git: 0 left 0"
fi
mkdir -p a/b/c && touch a/b/f a/x && ln -s "$d/a/b" link
python3 - <<'PY'
import os
base = os.getcwd()
def name(fd):  # as /proc/self/fd says it, below the folder
    link = os.readlink("/proc/self/fd/%d" % fd)
    return "." if link == base else link.replace(base + "/", "", 1)
fd = os.open("link", os.O_RDONLY | os.O_DIRECTORY)
up = os.open("..", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
print("link/..:", name(fd), name(up), sorted(os.listdir(up)))
up2 = os.open("../..", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
print("link/../..:", name(up2))
dotted = os.open("a/b/c/../../b/./c/..", os.O_RDONLY | os.O_DIRECTORY)
print("dotted:", name(dotted), sorted(os.listdir(dotted)))
c = os.open("a/b/c", os.O_RDONLY | os.O_DIRECTORY)
os.rmdir("a/b/c")
parent = os.open("..", os.O_RDONLY | os.O_DIRECTORY, dir_fd=c)
print("removed/..:", name(parent), sorted(os.listdir(parent)))
print("removed/../f:", os.stat("../f", dir_fd=c).st_size)
try:
    os.open("x", os.O_RDONLY, dir_fd=c)
except OSError as e:
    print("removed/x:", e.strerror)
for f in (fd, up, up2, dotted, c, parent):
    os.close(f)
PY
cd / && rm -rf "$d" && echo "removed $?"
