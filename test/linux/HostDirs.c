// HostDirs.c DIR ENTRY FILE: directories of a read-only mount opened for
// reading (hostdirs.test). Under the personality such an open makes no
// server call (the handle is made at the first getdents); this prints
// what a program sees, to be compared with a native run: fstat, paths
// relative to the descriptor, getdents, fchdir, a fork child's getdents on
// the inherited descriptor, and the errors Linux gives.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *errName(int E) {
  switch (E) {
  case ENOENT:
    return "ENOENT";
  case ENOTDIR:
    return "ENOTDIR";
  case EISDIR:
    return "EISDIR";
  case EBADF:
    return "EBADF";
  case ELOOP:
    return "ELOOP";
  case EEXIST:
    return "EEXIST";
  case EROFS:
    return "EROFS";
  default:
    return "other";
  }
}

/// Entries getdents64 gives from the descriptor's offset to the end.
static long countEntries(int Fd) {
  char Buffer[8192];
  long Count = 0;
  for (;;) {
    long N = syscall(SYS_getdents64, Fd, Buffer, sizeof(Buffer));
    if (N < 0)
      return -errno;
    if (N == 0)
      return Count;
    for (long At = 0; At < N;) {
      struct dirent64 *D = (struct dirent64 *)(Buffer + At);
      ++Count;
      At += D->d_reclen;
    }
  }
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s DIR ENTRY FILE\n", argv[0]);
    return 2;
  }
  const char *Dir = argv[1], *Entry = argv[2], *File = argv[3];
  struct stat ByPath, ByFd, Again;
  if (stat(Dir, &ByPath) != 0)
    return 2;

  int Fd = open(Dir, O_RDONLY | O_CLOEXEC);
  printf("open: %s\n", Fd >= 0 ? "ok" : errName(errno));
  if (Fd < 0)
    return 1;
  int Got = fstat(Fd, &ByFd);
  printf("fstat: %d, directory %d, same inode %d\n", Got,
         S_ISDIR(ByFd.st_mode) ? 1 : 0,
         ByFd.st_dev == ByPath.st_dev && ByFd.st_ino == ByPath.st_ino);
  Got = fstat(Fd, &Again);
  printf("fstat again: %d, same inode %d\n", Got,
         Again.st_dev == ByPath.st_dev && Again.st_ino == ByPath.st_ino);
  struct stat Sub;
  printf("fstatat entry: %d\n", fstatat(Fd, Entry, &Sub, 0));
  int Inner = openat(Fd, Entry, O_RDONLY | O_CLOEXEC);
  printf("openat entry: %s\n", Inner >= 0 ? "ok" : errName(errno));
  if (Inner >= 0)
    close(Inner);
  char Byte;
  printf("read: %s\n", read(Fd, &Byte, 1) < 0 ? errName(errno) : "data");
  long First = countEntries(Fd);
  lseek(Fd, 0, SEEK_SET);
  long Second = countEntries(Fd);
  printf("getdents: entries %s, again the same %d\n",
         First > 2 ? "several" : "few", First == Second);

  fflush(stdout);
  pid_t Child = fork();
  if (Child == 0) {
    lseek(Fd, 0, SEEK_SET);
    long InChild = countEntries(Fd);
    struct stat C;
    int E = fstat(Fd, &C);
    printf("child: entries the same %d, fstat %d, same inode %d\n",
           InChild == First, E,
           C.st_dev == ByPath.st_dev && C.st_ino == ByPath.st_ino);
    fflush(stdout);
    _exit(0);
  }
  int Status = 0;
  waitpid(Child, &Status, 0);

  printf("fchdir: %d\n", fchdir(Fd));
  char Cwd[4096];
  printf("getcwd is the directory: %d\n",
         getcwd(Cwd, sizeof(Cwd)) && stat(Cwd, &Again) == 0 &&
             Again.st_ino == ByPath.st_ino && Again.st_dev == ByPath.st_dev);
  printf("stat entry from there: %d\n", stat(Entry, &Sub));
  printf("close: %d\n", close(Fd));
  printf("fstat closed: %s\n", fstat(Fd, &Again) < 0 ? errName(errno) : "ok");

  // Opens that must not succeed, or differ. A directory opened for
  // writing is EISDIR before a read-only mount's EROFS, as on Linux; so is
  // O_TRUNC (it asks for writing), and O_CREAT of a directory; an existing
  // file with O_CREAT|O_EXCL is EEXIST.
  static const struct {
    const char *Name;
    int Flags;
  } Writes[] = {{"O_WRONLY", O_WRONLY},
                {"O_RDWR", O_RDWR},
                {"O_RDONLY|O_TRUNC", O_RDONLY | O_TRUNC},
                {"O_CREAT", O_RDONLY | O_CREAT},
                {"O_WRONLY|O_CREAT", O_WRONLY | O_CREAT}};
  for (unsigned I = 0; I < sizeof(Writes) / sizeof(Writes[0]); ++I) {
    Fd = open(Dir, Writes[I].Flags, 0600);
    printf("the directory %s: %s\n", Writes[I].Name,
           Fd >= 0 ? "ok" : errName(errno));
    if (Fd >= 0)
      close(Fd);
  }
  Fd = open(File, O_WRONLY | O_CREAT | O_EXCL, 0600);
  printf("the file O_CREAT|O_EXCL: %s\n", Fd >= 0 ? "ok" : errName(errno));
  if (Fd >= 0)
    close(Fd);
  Fd = open(Dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  printf("O_DIRECTORY|O_NOFOLLOW: %s\n", Fd >= 0 ? "ok" : errName(errno));
  if (Fd >= 0)
    close(Fd);
  Fd = open(File, O_RDONLY | O_DIRECTORY);
  printf("a file with O_DIRECTORY: %s\n", Fd >= 0 ? "ok" : errName(errno));
  if (Fd >= 0)
    close(Fd);
  char Missing[4096];
  snprintf(Missing, sizeof(Missing), "%s/k42-no-such-dir", Dir);
  Fd = open(Missing, O_RDONLY);
  printf("missing: %s\n", Fd >= 0 ? "ok" : errName(errno));
  // Many opens and closes, each answered without the server.
  int Ok = 0;
  for (int I = 0; I < 200; ++I) {
    int D = open(Dir, O_RDONLY | O_CLOEXEC);
    if (D >= 0 && fstat(D, &Again) == 0 && S_ISDIR(Again.st_mode))
      ++Ok;
    if (D >= 0)
      close(D);
  }
  printf("200 opens: %d\n", Ok);
  return 0;
}
