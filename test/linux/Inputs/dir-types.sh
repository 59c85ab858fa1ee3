#!/bin/bash
# dir-types.sh DIR: each kind of node in DIR (made and removed), as a
# directory listing's d_type names it (dir-types.test): find -type, and
# python's scandir, which trusts d_type.
d=$1
rm -rf "$d"; mkdir -p "$d"; cd "$d" || exit 1
python3 - <<'PY'
import os
import socket
socket.socket(socket.AF_UNIX).bind("sock")
os.mkfifo("fifo")
open("file", "w").close()
os.symlink("file", "link")
os.mkdir("dir")
for e in sorted(os.scandir("."), key=lambda e: e.name):
    kind = ("dir" if e.is_dir(follow_symlinks=False) else
            "link" if e.is_symlink() else
            "file" if e.is_file(follow_symlinks=False) else "other")
    print(e.name, kind)
PY
for t in f d l p s; do
  printf '%s: %s\n' "$t" "$(find . -mindepth 1 -type $t | sort | tr '\n' ' ')"
done
cd / && rm -rf "$d"
