#!/bin/bash
# loader-run.sh DIR: ld.so run as a program on programs built in DIR
# (loader-run.test): ldd, `ld.so --list`, `ld.so --verify`, and ld.so
# running a program itself, with its libraries found by $ORIGIN, by
# --library-path and not at all. Prints what each printed with DIR's
# libraries' paths and load addresses taken out (under K42 ld.so names a
# library in K42's files by its symlink in the personality's folder).
set -u
D=$1
RTLD=/lib64/ld-linux-x86-64.so.2
rm -rf "$D" && mkdir -p "$D/lib" "$D/bin" && cd "$D" || exit 1
# What ldd and ld.so --list print: each library, found or not.
names() { sed -e 's/ (0x[0-9a-f]*)//' -e 's/=> [^ ]*\/\([^/ ]*\)$/=> found \1/'; }
echo 'int g(void){return 40;}' > g.c && gcc -shared -fPIC -o lib/libg.so g.c
echo 'int g(void); int f(void){return g()+2;}' > f.c &&
  gcc -shared -fPIC -o lib/libf.so f.c -Llib -lg -Wl,-rpath,'$ORIGIN'
cat > m.c <<'EOT'
#include <stdio.h>
int f(void);
int main(int argc, char **argv) {
  printf("f %d argc %d argv[0] %s", f(), argc, argv[0]);
  for (int I = 1; I < argc; ++I)
    printf(" %s", argv[I]);
  printf("\n");
  return 3;
}
EOT
gcc -o bin/origin m.c -Llib -lf -Wl,-rpath,'$ORIGIN/../lib'
gcc -o bin/plain m.c -Llib -lf
printf '#!/bin/sh\necho script\n' > bin/script && chmod +x bin/script
cp /bin/true bin/true
echo "== ldd"
ldd bin/origin | names; echo "rc $?"
ldd "$D/bin/origin" | names; echo "rc $?"
ldd bin/plain | names; echo "rc $?"
ldd bin/true | names; echo "rc $?"
ldd bin/script; echo "rc $?"
ldd bin/missing; echo "rc $?"
echo "== ld.so"
$RTLD --verify bin/origin; echo "verify rc $?"
$RTLD --list ./bin/origin | names; echo "list rc $?"
LD_TRACE_LOADED_OBJECTS=1 $RTLD ./bin/origin | names; echo "trace rc $?"
$RTLD ./bin/origin one two; echo "run rc $?"
$RTLD --argv0 named ./bin/origin one; echo "argv0 rc $?"
$RTLD --library-path "$D/lib" bin/plain x; echo "library-path rc $?"
(cd bin && $RTLD ./origin here); echo "relative rc $?"
$RTLD ./bin/plain 2>&1 | grep -c 'libf.so: cannot open shared object file'
# Refused, natively as "file too short"; a K42 file that is not ELF is
# not handed on, so ld.so cannot open it.
$RTLD ./bin/script 2>&1 | grep -c 'error while loading shared libraries'
$RTLD --list /bin/true | names; echo "host list rc $?"
