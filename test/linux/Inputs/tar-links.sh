#!/bin/sh
# tar-links.sh: in the current folder, a folder with a file, a symlink to
# it, a dangling one, a hard link and modes, archived and extracted by tar
# (which sets a symlink's times and owner through it, and opens it O_PATH
# to try its mode); prints what came out.
mkdir -p d/sub
seq 1 100 > d/a
echo hi > d/sub/b
ln -s a d/l
ln -s /nonexistent d/dangling
ln d/a d/hard
chmod 640 d/a
touch -d '2020-01-02 03:04:05' d/sub/b
tar cf t.tar d
mkdir x
tar xf t.tar -C x
echo "tar x $?"
diff -r --no-dereference d x/d && echo same
for f in x/d/a x/d/hard x/d/l x/d/dangling x/d/sub/b; do
  stat -c '%n %A %h %s' "$f"
done
stat -c '%n %y' x/d/sub/b
for f in x/d/l x/d/dangling; do echo "$f -> $(readlink "$f")"; done
