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
    const char *Name = errno == ELOOP     ? "ELOOP"
                       : errno == EXDEV   ? "EXDEV"
                       : errno == ENOENT  ? "ENOENT"
                       : errno == EAGAIN  ? "EAGAIN"
                       : errno == EEXIST  ? "EEXIST"
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

  // Each lookup from in/: what it is, the path, open's flags, the rules.
  const struct {
    const char *What, *Path;
    int Flags;
    unsigned long long Resolve;
  } Cases[] = {
      {"plain", "file", O_RDONLY, 0},
      {"plain through a symlink", "rel", O_RDONLY, 0},
      {"no symlinks, a file", "sub/deep", O_RDONLY, RESOLVE_NO_SYMLINKS},
      {"no symlinks, last", "rel", O_RDONLY, RESOLVE_NO_SYMLINKS},
      {"no symlinks, on the way", "subdir/deep", O_RDONLY, RESOLVE_NO_SYMLINKS},
      {"no symlinks, O_PATH|O_NOFOLLOW", "rel", O_PATH | O_NOFOLLOW,
       RESOLVE_NO_SYMLINKS},
      {"beneath, within", "sub/../file", O_RDONLY, RESOLVE_BENEATH},
      {"beneath, a symlink within", "dots", O_RDONLY, RESOLVE_BENEATH},
      {"beneath, .. out", "../out", O_RDONLY, RESOLVE_BENEATH},
      {"beneath, a symlink out", "up", O_RDONLY, RESOLVE_BENEATH},
      {"beneath, absolute", at("out"), O_RDONLY, RESOLVE_BENEATH},
      {"beneath, an absolute symlink", "root", O_RDONLY, RESOLVE_BENEATH},
      {"in root, .. stays", "../../file", O_RDONLY, RESOLVE_IN_ROOT},
      {"in root, absolute", "/sub/deep", O_RDONLY, RESOLVE_IN_ROOT},
      {"in root, a symlink to /", "root/file", O_RDONLY, RESOLVE_IN_ROOT},
      {"in root, a symlink up", "up", O_RDONLY, RESOLVE_IN_ROOT},
      {"a symlink loop", "loop1", O_RDONLY, RESOLVE_BENEATH},
      {"no magic links, a plain one", "rel", O_RDONLY, RESOLVE_NO_MAGICLINKS},
      {"create through a dangling symlink", "dangling", O_WRONLY | O_CREAT,
       RESOLVE_BENEATH},
      {"then it is there", "missing", O_RDONLY, RESOLVE_BENEATH},
      {"O_EXCL on a symlink", "rel", O_WRONLY | O_CREAT | O_EXCL,
       RESOLVE_BENEATH},
      {"a file with a trailing slash", "file/", O_RDONLY, RESOLVE_BENEATH},
      {"a new name with a trailing slash", "newdir/", O_WRONLY | O_CREAT,
       RESOLVE_BENEATH},
      {"a missing folder on the way", "none/file", O_RDONLY, RESOLVE_BENEATH},
      {"no xdev, within", "sub/deep", O_RDONLY, RESOLVE_NO_XDEV},
      {"beneath and in root", "file", O_RDONLY,
       RESOLVE_BENEATH | RESOLVE_IN_ROOT},
  };
  for (size_t I = 0; I < sizeof(Cases) / sizeof(Cases[0]); ++I)
    look(Cases[I].What, Base, Cases[I].Path, Cases[I].Flags, Cases[I].Resolve);
  look("from the current folder", AT_FDCWD, at("in/file"), O_RDONLY,
       RESOLVE_NO_SYMLINKS);
  return 0;
}
