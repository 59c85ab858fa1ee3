// test/linux/Resolve.c: openat2's RESOLVE_* restrictions, natively in a
// host folder and on K42's /tmp under the personality; what it prints
// must be the same.
//
//   linux-resolve DIR          the lookups below, in DIR (made here)
//   linux-resolve cached PATH  PATH with RESOLVE_CACHED alone
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "InFolder.h"

static int Base;

/// openat2 from \p From (a descriptor) of \p Path: what it opened (the
/// first bytes of a file, "folder", "symlink") or its errno's name.
static void look(const char *What, int From, const char *Path, int Flags,
                 unsigned long long Resolve) {
  struct open_how How = {.flags = (unsigned long long)Flags,
                         .mode = Flags & O_CREAT ? 0644 : 0,
                         .resolve = Resolve};
  long Fd = syscall(SYS_openat2, From, Path, &How, sizeof(How));
  if (Fd < 0) {
    const char *Name = errno == ELOOP    ? "ELOOP"
                       : errno == EXDEV  ? "EXDEV"
                       : errno == ENOENT ? "ENOENT"
                       : errno == EAGAIN ? "EAGAIN"
                       : errno == EEXIST ? "EEXIST"
                       : errno == ENOTDIR ? "ENOTDIR"
                                          : strerror(errno);
    printf("%s: %s\n", What, Name);
    return;
  }
  struct stat S;
  char Text[16] = {0};
  fstat((int)Fd, &S);
  if (S_ISDIR(S.st_mode))
    strcpy(Text, "folder");
  else if (S_ISLNK(S.st_mode))
    strcpy(Text, "symlink");
  else if (read((int)Fd, Text, sizeof(Text) - 1) < 0)
    strcpy(Text, "(unreadable)");
  printf("%s: %s\n", What, Text);
  close((int)Fd);
}

static void put(const char *Name, const char *Text) {
  int Fd = open(at(Name), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  (void)!write(Fd, Text, strlen(Text));
  close(Fd);
}

int main(int Argc, char **Argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (Argc == 3 && strcmp(Argv[1], "cached") == 0) {
    look("cached", AT_FDCWD, Argv[2], O_RDONLY, RESOLVE_CACHED);
    return 0;
  }
  if (Argc != 2)
    return 2;
  snprintf(Dir, sizeof(Dir), "%s", Argv[1]);
  if (mkdir(Dir, 0755) != 0)
    return 1;
  mkdir(at("in"), 0755);
  mkdir(at("in/sub"), 0755);
  put("in/file", "inside");
  put("out", "outside");
  put("in/sub/deep", "deep");
  symlink("file", at("in/rel"));         // within
  symlink("../out", at("in/up"));        // out of in/
  symlink("sub/../file", at("in/dots")); // within, by ..
  symlink("loop2", at("in/loop1"));
  symlink("loop1", at("in/loop2"));
  symlink("sub", at("in/subdir"));
  symlink("/", at("in/root"));
  symlink("missing", at("in/dangling"));
  Base = open(at("in"), O_RDONLY | O_DIRECTORY);

  look("plain", Base, "file", O_RDONLY, 0);
  look("plain through a symlink", Base, "rel", O_RDONLY, 0);
  look("no symlinks, a file", Base, "sub/deep", O_RDONLY, RESOLVE_NO_SYMLINKS);
  look("no symlinks, last", Base, "rel", O_RDONLY, RESOLVE_NO_SYMLINKS);
  look("no symlinks, on the way", Base, "subdir/deep", O_RDONLY,
       RESOLVE_NO_SYMLINKS);
  look("no symlinks, O_PATH|O_NOFOLLOW", Base, "rel",
       O_PATH | O_NOFOLLOW, RESOLVE_NO_SYMLINKS);
  look("beneath, within", Base, "sub/../file", O_RDONLY, RESOLVE_BENEATH);
  look("beneath, a symlink within", Base, "dots", O_RDONLY, RESOLVE_BENEATH);
  look("beneath, .. out", Base, "../out", O_RDONLY, RESOLVE_BENEATH);
  look("beneath, a symlink out", Base, "up", O_RDONLY, RESOLVE_BENEATH);
  look("beneath, absolute", Base, at("out"), O_RDONLY, RESOLVE_BENEATH);
  look("beneath, an absolute symlink", Base, "root", O_RDONLY,
       RESOLVE_BENEATH);
  look("in root, .. stays", Base, "../../file", O_RDONLY, RESOLVE_IN_ROOT);
  look("in root, absolute", Base, "/sub/deep", O_RDONLY, RESOLVE_IN_ROOT);
  look("in root, a symlink to /", Base, "root/file", O_RDONLY,
       RESOLVE_IN_ROOT);
  look("in root, a symlink up", Base, "up", O_RDONLY, RESOLVE_IN_ROOT);
  look("a symlink loop", Base, "loop1", O_RDONLY, RESOLVE_BENEATH);
  look("no magic links, a plain one", Base, "rel", O_RDONLY,
       RESOLVE_NO_MAGICLINKS);
  look("create through a dangling symlink", Base, "dangling",
       O_WRONLY | O_CREAT, RESOLVE_BENEATH);
  look("then it is there", Base, "missing", O_RDONLY, RESOLVE_BENEATH);
  look("O_EXCL on a symlink", Base, "rel", O_WRONLY | O_CREAT | O_EXCL,
       RESOLVE_BENEATH);
  look("a file with a trailing slash", Base, "file/", O_RDONLY,
       RESOLVE_BENEATH);
  look("a missing folder on the way", Base, "none/file", O_RDONLY,
       RESOLVE_BENEATH);
  look("no xdev, within", Base, "sub/deep", O_RDONLY, RESOLVE_NO_XDEV);
  look("beneath and in root", Base, "file", O_RDONLY,
       RESOLVE_BENEATH | RESOLVE_IN_ROOT);
  look("from the current folder", AT_FDCWD, at("in/file"), O_RDONLY,
       RESOLVE_NO_SYMLINKS);
  return 0;
}
