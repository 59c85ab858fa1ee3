#!/bin/bash
# dir-order.sh DIR: what programs print in a directory's own order (ls -U,
# ls -f, find, a glob, python's os.listdir and os.walk) after names come
# and go; DIR must not exist and is removed at the end.
mkdir "$1" && cd "$1" || exit 1
for f in c a e b d; do echo $f > $f; done
mkdir sub && touch sub/z sub/y
rm c && echo again > c
ln -s a link
mv b b2
echo "ls -U: $(ls -U | tr '\n' ' ')"
echo "ls -f: $(ls -f | tr '\n' ' ')"
echo "ls: $(ls | tr '\n' ' ')"
echo "find: $(find . | tr '\n' ' ')"
echo "glob: $(echo *)"
if command -v python3 >/dev/null; then
  python3 -c 'import os; print("listdir:", os.listdir(".")); print("walk:", [(d, sorted(s), f) for d, s, f in os.walk(".")])'
fi
cd / && rm -rf "$1" && echo "removed $?"
