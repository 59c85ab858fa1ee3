#!/bin/bash
# build.sh DIR: writes a small C program and a Makefile into DIR, builds it
# with make and cc, runs the result, and rebuilds nothing the second time.
set -u
mkdir -p "$1" && cd "$1" || exit 1
cat > hello.c <<'EOT'
#include <stdio.h>
int main(int argc, char **argv) {
  FILE *f = fopen("made.txt", "w");
  fprintf(f, "made by %s\n", argc > 1 ? argv[1] : "nobody");
  fclose(f);
  printf("hello %d\n", 6 * 7);
  return 3;
}
EOT
printf 'hello: hello.c\n\tcc -O1 -o hello hello.c\n' > Makefile
make -s; echo "make $?"
./hello k42; echo "status $?"
cat made.txt
make; echo "make again $?"
