# dlopen-names.sh DIR: libraries in DIR (K42's files under the
# personality) dlopen'ed by bare name: through LD_LIBRARY_PATH, the
# program's DT_RUNPATH $ORIGIN and DT_RPATH, Python's ctypes; a name
# already loaded (one copy); a host library; a name nowhere.
set -u
rm -rf "$1" && mkdir -p "$1/lib" && cd "$1" || exit 1
printf 'int sq(int x) { return x * x; }\n' > sq.c
cc -shared -fPIC -Wl,-soname,libsq.so -o lib/libsq.so sq.c || exit 1
cat > dl.c <<'X'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stdio.h>
#include <string.h>
static int Copies;
static int count(struct dl_phdr_info *I, size_t S, void *D) {
  (void)S; (void)D;
  if (I->dlpi_name && strstr(I->dlpi_name, "libsq.so"))
    ++Copies;
  return 0;
}
int main(int argc, char **argv) {
  for (int i = 1; i < argc; ++i) {
    void *h = dlopen(argv[i], RTLD_NOW);
    if (!h) {
      printf("dlopen(%s): %s\n", argv[i], dlerror());
      continue;
    }
    int (*f)(int) = (int (*)(int))dlsym(h, "sq");
    printf("dlopen(%s): ok%s%d\n", argv[i], f ? " sq(9)=" : " no sq ",
           f ? f(9) : 0);
  }
  dl_iterate_phdr(count, NULL);
  printf("copies of libsq: %d\n", Copies);
  return 0;
}
X
cc -o dl dl.c -ldl || exit 1
cc -o dl-runpath dl.c -ldl -Wl,--enable-new-dtags -Wl,-rpath,'$ORIGIN/lib' || exit 1
cc -o dl-rpath dl.c -ldl -Wl,--disable-new-dtags -Wl,-rpath,'$ORIGIN/lib' || exit 1
cc -o dl-linked dl.c -ldl -Llib -lsq -Wl,-rpath,'$ORIGIN/lib' || exit 1
echo "== LD_LIBRARY_PATH"
LD_LIBRARY_PATH=$PWD/lib ./dl libsq.so libnone.so
LD_LIBRARY_PATH=lib ./dl libsq.so
echo "== DT_RUNPATH \$ORIGIN"
./dl-runpath libsq.so libm.so.6
echo "== DT_RPATH \$ORIGIN"
./dl-rpath libsq.so
echo "== linked, then dlopen'ed by name"
./dl-linked libsq.so
echo "== no path"
./dl libsq.so
echo "== ctypes"
LD_LIBRARY_PATH=$PWD/lib /usr/bin/python3 -c 'import ctypes; print("ctypes sq(7) =", ctypes.CDLL("libsq.so").sq(7))'
