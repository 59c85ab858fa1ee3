// test/linux/AtCalls.c: *at calls on the current directory itself
// (AT_FDCWD, an empty path and AT_EMPTY_PATH), an empty path without
// AT_EMPTY_PATH (ENOENT), and openat2 (its argument checks, a descriptor
// reopened by its /proc/self/fd and /dev/fd name), natively on a host
// folder and on a K42 folder under the personality; what it prints must be
// the same.
//
//   linux-atcalls DIR   chdir(DIR), then utimensat, fchmodat2, fchownat,
//                       fstatat and statx of "" with AT_EMPTY_PATH, each
//                       seen by stat("."); fstatat and statx of "" without
//                       it; openat2; a symlink with a trailing slash
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif

/* The call's errno by name ("ok" for success). */
static const char *err(long R) {
  return R >= 0 ? "ok" : strerrorname_np(errno);
}

static long openat2Call(const char *Path, uint64_t Flags, uint64_t Mode,
                        uint64_t Resolve, size_t Size) {
  struct {
    struct open_how How;
    uint64_t Tail;
  } Arg = {{Flags, Mode, Resolve}, 0};
  if (Size > sizeof(struct open_how))
    Arg.Tail = 1;
  return syscall(SYS_openat2, AT_FDCWD, Path, &Arg, Size);
}

/* The first bytes read through \p Fd, or its error. */
static void readsAs(const char *Label, long Fd) {
  char Text[16] = {0};
  if (Fd < 0) {
    printf("%s: %s\n", Label, err(Fd));
    return;
  }
  printf("%s: reads \"%.*s\"\n", Label, (int)pread((int)Fd, Text, 5, 0), Text);
  close((int)Fd);
}

/* A symlink with a trailing slash: a lookup follows it (stat, lstat), a
   call that makes, removes or renames the name itself does not. */
static void slashChecks(void) {
  mkdir("target", 0755);
  symlink("target", "link");
  symlink("newtarget", "dangling");
  struct stat S;
  printf("stat link/ %s, folder %d\n", err(stat("link/", &S)),
         S_ISDIR(S.st_mode));
  printf("lstat link/ %s, folder %d\n", err(lstat("link/", &S)),
         S_ISDIR(S.st_mode));
  printf("rmdir link/ %s", err(rmdir("link/")));
  printf(", target still there %s\n", err(access("target", F_OK)));
  printf("unlink link/ %s\n", err(unlink("link/")));
  printf("rename link/ %s\n", err(rename("link/", "moved")));
  printf("mkdir dangling/ %s", err(mkdir("dangling/", 0755)));
  printf(", its target made %s\n",
         access("newtarget", F_OK) == 0 ? "yes" : "no");
  unlink("link");
  unlink("dangling");
  rmdir("target");
}

static void openat2Checks(void) {
  int Fd = open("content", O_CREAT | O_TRUNC | O_RDWR, 0644);
  if (Fd < 0 || write(Fd, "hello", 5) != 5)
    return;
  char Name[64];
  snprintf(Name, sizeof(Name), "/proc/self/fd/%d", Fd);
  readsAs("openat2 /proc/self/fd/N", openat2Call(Name, O_RDONLY, 0, 0, 24));
  snprintf(Name, sizeof(Name), "/dev/fd/%d", Fd);
  readsAs("openat2 /dev/fd/N", openat2Call(Name, O_RDONLY, 0, 0, 24));
  readsAs("openat2 plain", openat2Call("content", O_RDONLY, 0, 0, 24));
  printf("openat2 unknown flag %s\n",
         err(openat2Call("content", O_RDONLY | (1ull << 40), 0, 0, 24)));
  printf("openat2 mode past 07777 %s\n",
         err(openat2Call("new", O_CREAT | O_WRONLY, 010000, 0, 24)));
  printf("openat2 mode without O_CREAT %s\n",
         err(openat2Call("content", O_RDONLY, 0644, 0, 24)));
  printf("openat2 unknown resolve bit %s\n",
         err(openat2Call("content", O_RDONLY, 0, 1ull << 20, 24)));
  printf("openat2 tail not zero %s\n",
         err(openat2Call("content", O_RDONLY, 0, 0, 32)));
  printf("openat2 size too small %s\n",
         err(openat2Call("content", O_RDONLY, 0, 0, 16)));
  close(Fd);
  unlink("content");
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
  int File = open("named", O_CREAT | O_WRONLY, 0644);
  printf("fstatat of a descriptor, \"\" without AT_EMPTY_PATH %s\n",
         err(fstatat(File, "", &Got, 0)));
  printf("rename \"\" %s, to \"\" %s\n", err(rename("", "x")),
         err(rename("named", "")));
  printf("link to \"\" %s, linkat of \"\" without AT_EMPTY_PATH %s\n",
         err(link("named", "")), err(linkat(File, "", AT_FDCWD, "g", 0)));
  close(File);
  unlink("named");
  chmod(".", 0755);
  openat2Checks();
  slashChecks();
  return 0;
}
