#!/bin/bash
# file-times.sh DIR: make after a source is touched (what it rebuilds),
# make -q, find -newer and stat of times set with touch -d; DIR must not
# exist and is removed at the end.
mkdir "$1" && cd "$1" || exit 1
printf 'prog: a.o b.o\n\t@printf "link\\n"; cat a.o b.o > prog\n%%.o: %%.c\n\t@printf "cc %%s; " $<; cp $< $@\n' > Makefile
echo a > a.c
echo b > b.c
touch -d '2020-01-01 00:00:00' a.c b.c Makefile
echo "make: $(make 2>&1)"
echo "again: $(make 2>&1)"
touch a.c
echo "-q touched: $(make -q; echo $?)"
echo "touched a.c: $(make 2>&1)"
make -q
echo "-q after: $?"
touch -d '2019-06-01 12:00:00' b.c
echo "older b.c: $(make 2>&1)"
touch -d '2021-01-01 00:00:00' x
touch -d '2021-01-01 00:00:00.5' y
touch -d '2020-12-31 23:59:59.999999999' z
touch -d '2021-01-01 00:00:00' same
echo "find -newer x: $(find . -newer x -name '[xyz]*' | sort | tr '\n' ' ')"
echo "find ! -newer x: $(find . ! -newer x \( -name '[xyz]' -o -name same \) | sort | tr '\n' ' ')"
touch -m -d '2022-02-02 02:02:02.123456789' x
touch -a -d '2023-03-03 03:03:03.987654321' x
TZ=UTC stat -c '%n %y %x' x y z
echo "ctime after mtime: $([ "$(stat -c %Z x)" -ge "$(stat -c %Y x)" ] && echo yes)"
echo "test -nt: $([ y -nt x ] && echo y-newer || echo x-newer) $([ same -nt x ] && echo same-newer || echo not-newer)"
cd / && rm -rf "$1" && echo "removed $?"
