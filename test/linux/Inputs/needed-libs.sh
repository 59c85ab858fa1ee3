#!/bin/bash
# needed-libs.sh DIR: programs linked against shared libraries built beside
# them in DIR (needed-libs.test): an absolute DT_RUNPATH, $ORIGIN (the
# library's own $ORIGIN for the one it needs in turn), LD_LIBRARY_PATH
# absolute and relative, an old DT_RPATH, started from bash, sh and
# Python's subprocess; libraries in LD_PRELOAD (relative, absolute, a bare
# name found on LD_LIBRARY_PATH); a program whose library is nowhere. Each prints
# its library's answer and its LD_LIBRARY_PATH, which must be the one it
# was given.
set -u
D=$1
rm -rf "$D" && mkdir -p "$D/lib" "$D/bin" && cd "$D" || exit 1
echo 'int g(void){return 40;}' > g.c && gcc -shared -fPIC -o lib/libg.so g.c
echo 'int g(void); int f(void){return g()+2;}' > f.c &&
  gcc -shared -fPIC -o lib/libf.so f.c -Llib -lg -Wl,-rpath,'$ORIGIN'
cat > m.c <<'EOT'
#include <stdio.h>
#include <stdlib.h>
int f(void);
int main(void) {
  const char *L = getenv("LD_LIBRARY_PATH");
  printf("f %d LD_LIBRARY_PATH %s K42_LIBS %s\n", f(), L ? L : "(unset)",
         getenv("K42_LIBS") ? "set" : "(unset)");
  return 0;
}
EOT
gcc -o bin/abs m.c -Llib -lf -Wl,-rpath,"$D/lib"
gcc -o bin/origin m.c -Llib -lf -Wl,-rpath,'$ORIGIN/../lib'
gcc -o bin/plain m.c -Llib -lf
gcc -o bin/old m.c -Llib -lf -Wl,--disable-new-dtags,-rpath,"$D/lib"
./bin/abs; echo "absolute runpath $?"
./bin/origin; echo "origin runpath $?"
LD_LIBRARY_PATH=$D/lib ./bin/plain; echo "LD_LIBRARY_PATH $?"
LD_LIBRARY_PATH=lib:/nowhere ./bin/plain; echo "relative LD_LIBRARY_PATH $?"
LD_LIBRARY_PATH= ./bin/abs; echo "empty LD_LIBRARY_PATH $?"
./bin/old; echo "old rpath $?"
mkdir -p links/deeper && ln -s ../../bin/origin links/deeper/app
./links/deeper/app; echo "through a symlink, \$ORIGIN the program's own folder $?"
sh -c './bin/abs'; echo "from sh $?"
python3 -c 'import subprocess; print(subprocess.run(["./bin/origin"], capture_output=True, text=True).stdout.strip())'
printf '#include <stdio.h>\n__attribute__((constructor)) static void i(void) { fputs("preload-init\\n", stderr); }\n' > pre.c &&
  cc -shared -fPIC -o pre.so pre.c
LD_PRELOAD=./pre.so ./bin/abs 2>&1; echo "LD_PRELOAD relative $?"
LD_PRELOAD=$D/pre.so /bin/true 2>&1; echo "LD_PRELOAD absolute $?"
LD_PRELOAD=pre.so LD_LIBRARY_PATH=. /bin/true 2>&1; echo "LD_PRELOAD bare $?"
LD_PRELOAD=./pre.so sh -c 'echo "the program sees LD_PRELOAD=$LD_PRELOAD"' 2>&1
./bin/plain 2>&1 | grep -c 'libf.so: cannot open shared object file'
./bin/plain 2> /dev/null; echo "no library $?"
