/* statx-checks.c: statx's checks of its flags and mask before any lookup
   (statx-checks.test), on a K42 file and a missing one. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void show(const char *What, const char *Path, int Flags,
                 unsigned Mask) {
  struct statx X;
  errno = 0;
  int R = statx(AT_FDCWD, Path, Flags, Mask, &X);
  printf("%-34s %s: %d %s\n", What, Path, R, R ? strerror(errno) : "");
}

int main(void) {
  close(open("f", O_CREAT | O_WRONLY, 0644));
  const char *Paths[] = {"f", "missing"};
  for (int I = 0; I < 2; ++I) {
    show("plain", Paths[I], 0, STATX_BASIC_STATS);
    show("mask STATX__RESERVED", Paths[I], 0, STATX__RESERVED);
    show("flags 0x40000000", Paths[I], 0x40000000, STATX_BASIC_STATS);
    show("both sync types", Paths[I], AT_STATX_SYNC_TYPE, STATX_BASIC_STATS);
    show("AT_STATX_DONT_SYNC", Paths[I], AT_STATX_DONT_SYNC,
         STATX_BASIC_STATS);
  }
  return 0;
}
