// test/linux/EmptyPath.c: *at calls on the current directory itself
// (AT_FDCWD, an empty path and AT_EMPTY_PATH), and an empty path without
// AT_EMPTY_PATH (ENOENT), natively on a host folder and on a K42 folder
// under the personality; what it prints must be the same.
//
//   linux-emptypath DIR   chdir(DIR), then utimensat, fchmodat2, fchownat,
//                         fstatat and statx of "" with AT_EMPTY_PATH, each
//                         seen by stat("."); fstatat and statx of "" without
//                         it
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif

static const char *err(long R) {
  return R == 0 ? "ok" : errno == ENOENT ? "ENOENT" : strerror(errno);
}

int main(int Argc, char **Argv) {
  if (Argc != 2 || chdir(Argv[1]) != 0)
    return 2;
  struct stat Here, Got;
  stat(".", &Here);
  struct timespec Times[2] = {{1000, 0}, {1000, 0}};
  printf("utimensat %s", err(utimensat(AT_FDCWD, "", Times, AT_EMPTY_PATH)));
  stat(".", &Got);
  printf(", mtime now %ld\n", (long)Got.st_mtime);
  long R = syscall(SYS_fchmodat2, AT_FDCWD, "", 0711, AT_EMPTY_PATH);
  stat(".", &Got);
  printf("fchmodat2 %s, mode now %o\n", err(R), Got.st_mode & 07777);
  R = fchownat(AT_FDCWD, "", getuid(), getgid(), AT_EMPTY_PATH);
  printf("fchownat %s\n", err(R));
  R = fstatat(AT_FDCWD, "", &Got, AT_EMPTY_PATH);
  printf("fstatat %s, the folder itself %d\n", err(R),
         R == 0 && Got.st_ino == Here.st_ino && Got.st_dev == Here.st_dev);
  struct statx X;
  R = statx(AT_FDCWD, "", AT_EMPTY_PATH, STATX_INO, &X);
  printf("statx %s, the folder itself %d\n", err(R),
         R == 0 && X.stx_ino == Here.st_ino);
  printf("fstatat without AT_EMPTY_PATH %s\n",
         err(fstatat(AT_FDCWD, "", &Got, 0)));
  printf("statx without AT_EMPTY_PATH %s\n",
         err(statx(AT_FDCWD, "", 0, STATX_INO, &X)));
  chmod(".", 0755);
  return 0;
}
