#!/bin/bash
# parallel-build.sh DIR: a small C project in DIR (six sources and a main,
# a shared header, pattern rules, an order-only object folder) built with
# make -j4, rebuilt after the header changes, and built again with -O
# (output grouped per job); prints the program's answers and make's.
mkdir -p "$1" && cd "$1" || exit 1
rm -rf src obj prog Makefile
mkdir src
for i in 1 2 3 4 5 6; do
  printf '#include "h.h"\nint f%d(void) { return %d * K; }\n' $i $i > src/f$i.c
done
printf '#define K 3\n' > src/h.h
{
  printf '#include <stdio.h>\n'
  for i in 1 2 3 4 5 6; do printf 'int f%d(void);\n' $i; done
  printf 'int main(void) { printf("%%d\\n", f1() + f2() + f3() + f4() + f5() + f6()); return 0; }\n'
} > src/main.c
cat > Makefile <<'MAKEFILE'
SRCS := $(wildcard src/*.c)
OBJS := $(patsubst src/%.c,obj/%.o,$(SRCS))
prog: $(OBJS)
	$(CC) -o $@ $^
obj/%.o: src/%.c src/h.h | obj
	$(CC) -O1 -c -o $@ $<
obj:
	mkdir -p obj
clean:
	rm -rf obj prog
.PHONY: clean
MAKEFILE
make -j4 -s; echo "make $?"
./prog
make; echo "make again $?"
printf '#define K 4\n' > src/h.h
make -j4 | sort; echo "rebuilt ${PIPESTATUS[0]}"
./prog
make -q; echo "up to date $?"
make -s clean
make -j4 -s -O prog; echo "make -O $?"
./prog
