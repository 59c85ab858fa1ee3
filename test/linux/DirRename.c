// DirRename.c DIR: a directory's descriptor follows the directory when it
// is renamed, by this process or another, itself or a directory above it
// (dirrename.test runs it natively in a host folder and under the
// personality in K42's /tmp, and diffs): its /proc/self/fd name, *at calls
// relative to it (which must not reach a new directory made at the old
// name), fchdir and getcwd, /dev/fd/N opened again, fstatfs; a file's
// descriptor name after the file and then its folder are renamed; and the
// current directory renamed by another process.

#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "InFolder.h"

/// \p Path with DIR's own prefix as "D".
static const char *shown(const char *Path) {
  static char Out[PATH_MAX];
  size_t N = strlen(Dir);
  if (strncmp(Path, Dir, N) == 0)
    snprintf(Out, sizeof(Out), "D%s", Path + N);
  else
    snprintf(Out, sizeof(Out), "%s", Path);
  return Out;
}

static void name(const char *What, int Fd) {
  char Link[64], Target[PATH_MAX];
  snprintf(Link, sizeof(Link), "/proc/self/fd/%d", Fd);
  ssize_t N = readlink(Link, Target, sizeof(Target) - 1);
  Target[N < 0 ? 0 : N] = 0;
  printf("%s: %s\n", What, shown(Target));
}

static void readAt(const char *What, int Fd, const char *Name) {
  char Bytes[32] = "";
  int F = openat(Fd, Name, O_RDONLY);
  ssize_t N = F < 0 ? -1 : read(F, Bytes, sizeof(Bytes) - 1);
  if (F >= 0)
    close(F);
  Bytes[N < 0 ? 0 : N] = 0;
  printf("%s: %s\n", What, F < 0 ? "cannot open" : Bytes);
}

static void write1(const char *Path, const char *Text) {
  int F = open(Path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
  write(F, Text, strlen(Text));
  close(F);
}

int main(int Argc, char **Argv) {
  if (Argc != 2) {
    fprintf(stderr, "usage: DirRename DIR\n");
    return 2;
  }
  snprintf(Dir, sizeof(Dir), "%s", Argv[1]);
  mkdir(Dir, 0755);
  mkdir(at("a"), 0755);
  write1(at("a/f"), "moved");
  int A = open(at("a"), O_RDONLY | O_DIRECTORY);
  int P = open(at("a"), O_PATH | O_DIRECTORY);

  rename(at("a"), at("b"));
  name("renamed", A);
  name("renamed, O_PATH", P);
  // A new directory at the old name: relative calls stay in the old one.
  mkdir(at("a"), 0755);
  write1(at("a/f"), "new one");
  readAt("openat after rename", A, "f");
  readAt("openat after rename, O_PATH", P, "f");
  struct stat St;
  printf("fstatat size: %lld\n",
         fstatat(A, "f", &St, 0) == 0 ? (long long)St.st_size : -1LL);
  mkdirat(A, "sub", 0755);
  int Sub = open(at("b/sub"), O_RDONLY | O_DIRECTORY);
  // A file's descriptor: renamed itself, then moved with its folder.
  write1(at("b/g"), "file");
  int G = open(at("b/g"), O_RDONLY);
  rename(at("b/g"), at("b/h"));
  name("a file renamed", G);

  // A directory above it renamed, by another process.
  mkdir(at("c"), 0755);
  pid_t Child = fork();
  if (Child == 0) {
    rename(at("b"), at("c/b"));
    _exit(0);
  }
  waitpid(Child, NULL, 0);
  name("moved below c", A);
  name("its subdirectory", Sub);
  name("the renamed file in it", G);
  readAt("openat after the move", A, "f");
  readAt("openat .. of the subdirectory", Sub, "../f");

  // /dev/fd/N opened again, fstatfs, fchdir and getcwd.
  char DevFd[32];
  snprintf(DevFd, sizeof(DevFd), "/dev/fd/%d", Sub);
  int Again = open(DevFd, O_RDONLY | O_DIRECTORY);
  name("/dev/fd opened again", Again);
  struct statfs Fs;
  printf("fstatfs: %s\n", fstatfs(Sub, &Fs) == 0 ? "ok" : "failed");
  if (fchdir(A) == 0) {
    char Cwd[PATH_MAX];
    printf("fchdir, getcwd: %s\n", getcwd(Cwd, sizeof(Cwd)) ? shown(Cwd) : "?");
    readAt("open relative to the cwd", AT_FDCWD, "f");
  }
  // The current directory renamed by another process, and a new directory
  // made at its old name: relative paths stay in the old one.
  mkdir(at("w"), 0755);
  write1(at("w/f"), "in w");
  if (chdir(at("w")) == 0) {
    Child = fork();
    if (Child == 0) {
      rename(at("w"), at("w2"));
      mkdir(at("w"), 0755);
      write1(at("w/f"), "new w");
      _exit(0);
    }
    waitpid(Child, NULL, 0);
    readAt("open relative to the renamed cwd", AT_FDCWD, "f");
    char Cwd[PATH_MAX];
    printf("getcwd: %s\n", getcwd(Cwd, sizeof(Cwd)) ? shown(Cwd) : "?");
  }
  chdir("/");
  unlink(at("w/f"));
  rmdir(at("w"));
  unlink(at("w2/f"));
  rmdir(at("w2"));
  close(Again);
  close(G);
  unlink(at("c/b/h"));
  close(Sub);
  close(P);
  close(A);
  unlink(at("a/f"));
  rmdir(at("a"));
  rmdir(at("c/b/sub"));
  unlink(at("c/b/f"));
  rmdir(at("c/b"));
  rmdir(at("c"));
  rmdir(Dir);
  return 0;
}
