/* access-ids.c: access, faccessat and faccessat2 (access-ids.test): the
   mode and flags checked as Linux checks them, AT_SYMLINK_NOFOLLOW on a
   dangling link, and the real ids against the effective ones (AT_EACCESS)
   in children that make them differ (run as root). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHOW(X)                                                                \
  do {                                                                         \
    errno = 0;                                                                 \
    int R = (int)(X);                                                          \
    printf("%-60s = %d %s\n", #X, R, R ? strerror(errno) : "");               \
  } while (0)

int main(void) {
  setvbuf(stdout, 0, _IONBF, 0);
  alarm(10);
  close(open("ro", O_CREAT | O_WRONLY, 0400));
  chmod("ro", 0400);
  symlink("nowhere", "dangling");
  SHOW(faccessat(AT_FDCWD, "ro", 8, 0));
  SHOW(syscall(SYS_faccessat2, AT_FDCWD, "ro", F_OK, 0x8000));
  SHOW(faccessat(AT_FDCWD, "dangling", F_OK, AT_SYMLINK_NOFOLLOW));
  SHOW(faccessat(AT_FDCWD, "dangling", F_OK, 0));
  if (fork() == 0) {
    setresuid(65534, 0, 0);
    printf("real 65534, effective 0:\n");
    SHOW(access("ro", R_OK));
    SHOW(faccessat(AT_FDCWD, "ro", R_OK, AT_EACCESS));
    _exit(0);
  }
  wait(NULL);
  if (fork() == 0) {
    setresuid(0, 65534, 0);
    printf("real 0, effective 65534:\n");
    SHOW(access("ro", R_OK));
    SHOW(faccessat(AT_FDCWD, "ro", R_OK, AT_EACCESS));
    _exit(0);
  }
  wait(NULL);
  return 0;
}
