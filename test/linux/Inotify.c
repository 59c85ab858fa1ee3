// Inotify.c DIR: inotify on a file in DIR, each change's events printed in
// the order the kernel queued them (inotify.test runs it natively in a
// host folder and under the personality in K42's /tmp, and diffs): opens
// and closes, writes, reads, truncates, chmod, the three utimensat
// forms, a link and its unlink, a rename, the unlink; a second watch of
// the same file (the same descriptor), a watch through a symlink and of
// the symlink itself, and the errors (a missing file, an empty mask, a
// descriptor that is no inotify instance, IN_ONLYDIR on a file); then a
// directory's: entries made, written, listed, read, changed, renamed
// within, out, in and over, linked and removed, a subdirectory watched
// too, and the directory's own removal.
// `Inotify --watch PATH` only says whether PATH can be watched.

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "InFolder.h"

static int In;

static const char *err(long R) {
  static char Buffer[32];
  if (R >= 0) {
    snprintf(Buffer, sizeof(Buffer), "ok");
    return Buffer;
  }
  switch (errno) {
  case ENOENT:
    return "ENOENT";
  case EINVAL:
    return "EINVAL";
  case EBADF:
    return "EBADF";
  case ENOTDIR:
    return "ENOTDIR";
  case EOPNOTSUPP:
    return "EOPNOTSUPP";
  case EACCES:
    return "EACCES";
  }
  snprintf(Buffer, sizeof(Buffer), "errno %d", errno);
  return Buffer;
}

static const struct {
  uint32_t Bit;
  const char *Name;
} Names[] = {{IN_ACCESS, "ACCESS"},
             {IN_MODIFY, "MODIFY"},
             {IN_ATTRIB, "ATTRIB"},
             {IN_CLOSE_WRITE, "CLOSE_WRITE"},
             {IN_CLOSE_NOWRITE, "CLOSE_NOWRITE"},
             {IN_OPEN, "OPEN"},
             {IN_MOVED_FROM, "MOVED_FROM"},
             {IN_MOVED_TO, "MOVED_TO"},
             {IN_CREATE, "CREATE"},
             {IN_DELETE, "DELETE"},
             {IN_DELETE_SELF, "DELETE_SELF"},
             {IN_MOVE_SELF, "MOVE_SELF"},
             {IN_UNMOUNT, "UNMOUNT"},
             {IN_Q_OVERFLOW, "Q_OVERFLOW"},
             {IN_IGNORED, "IGNORED"},
             {IN_ISDIR, "ISDIR"}};

/// Prints the events queued now, after \p What, as "What: E1 E2 ...",
/// each with its watch (a, b: the descriptors watch() handed out).
static int Watches[4];
static void events(const char *What) {
  char Buffer[4096] __attribute__((aligned(8)));
  printf("%s:", What);
  // Every event of a call is queued before the call returns; the poll
  // only waits out a slow machine for the first.
  struct pollfd P = {In, POLLIN, 0};
  int Timeout = 1000;
  for (;;) {
    if (poll(&P, 1, Timeout) <= 0)
      break;
    ssize_t Got = read(In, Buffer, sizeof(Buffer));
    if (Got <= 0)
      break;
    for (char *E = Buffer; E < Buffer + Got;) {
      struct inotify_event *Ev = (struct inotify_event *)E;
      int Which = -1;
      for (int I = 0; I < 4; ++I)
        if (Watches[I] == Ev->wd)
          Which = I;
      printf(" %c=", Which < 0 ? '?' : 'a' + Which);
      const char *Sep = "";
      for (size_t I = 0; I < sizeof(Names) / sizeof(Names[0]); ++I)
        if (Ev->mask & Names[I].Bit) {
          printf("%s%s", Sep, Names[I].Name);
          Sep = "|";
        }
      if (Ev->len)
        printf("(%s)", Ev->name);
      // A rename's two halves share a cookie; a half alone has its own.
      static uint32_t FromCookie;
      if (Ev->mask & IN_MOVED_FROM)
        FromCookie = Ev->cookie;
      if (Ev->mask & IN_MOVED_TO)
        printf("%s", Ev->cookie == FromCookie ? "[paired]" : "[alone]");
      E += sizeof(*Ev) + Ev->len;
    }
    Timeout = 50;
  }
  printf("\n");
}

int main(int Argc, char **Argv) {
  if (Argc == 3 && strcmp(Argv[1], "--watch") == 0) {
    In = inotify_init1(IN_CLOEXEC);
    printf("watch %s %s\n", Argv[2],
           err(inotify_add_watch(In, Argv[2], IN_MODIFY | IN_ATTRIB)));
    return 0;
  }
  if (Argc != 2) {
    fprintf(stderr, "usage: Inotify DIR | Inotify --watch PATH\n");
    return 2;
  }
  snprintf(Dir, sizeof(Dir), "%s", Argv[1]);
  mkdir(Dir, 0755);
  int Fd = open(at("f"), O_CREAT | O_TRUNC | O_WRONLY, 0644);
  write(Fd, "x", 1);
  close(Fd);

  In = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  Watches[0] = inotify_add_watch(In, at("f"), IN_ALL_EVENTS);
  printf("watch %s\n", err(Watches[0]));
  int Again = inotify_add_watch(In, at("f"), IN_ALL_EVENTS);
  printf("watch again %s, same %d\n", err(Again), Again == Watches[0]);
  events("nothing yet");

  Fd = open(at("f"), O_WRONLY | O_APPEND);
  events("open for writing");
  write(Fd, "yz", 2);
  events("write");
  close(Fd);
  events("close");
  char Bytes[16];
  Fd = open(at("f"), O_RDONLY);
  ssize_t Got = read(Fd, Bytes, sizeof(Bytes));
  printf("read %zd\n", Got);
  close(Fd);
  events("open, read, close");
  Fd = open(at("f"), O_RDWR);
  ftruncate(Fd, 1);
  close(Fd);
  events("open, ftruncate, close");
  chmod(at("f"), 0600);
  events("chmod");
  setxattr(at("f"), "user.k", "v", 1, 0);
  events("setxattr");
  removexattr(at("f"), "user.k");
  events("removexattr");
  Fd = open(at("f"), O_WRONLY | O_TRUNC);
  close(Fd);
  events("open O_TRUNC, close");
  truncate(at("f"), 0);
  events("truncate");
  struct timespec Both[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}};
  utimensat(AT_FDCWD, at("f"), Both, 0);
  events("utimensat both");
  struct timespec Atime[2] = {{0, UTIME_NOW}, {0, UTIME_OMIT}};
  utimensat(AT_FDCWD, at("f"), Atime, 0);
  events("utimensat atime");
  struct timespec Mtime[2] = {{0, UTIME_OMIT}, {0, UTIME_NOW}};
  utimensat(AT_FDCWD, at("f"), Mtime, 0);
  events("utimensat mtime");
  link(at("f"), at("g"));
  events("link");
  unlink(at("g"));
  events("unlink the link");
  rename(at("f"), at("h"));
  events("rename");

  // A symlink: followed (the file, whose watch is a's), and not.
  symlink("h", at("s"));
  Watches[1] = inotify_add_watch(In, at("s"), IN_ALL_EVENTS);
  printf("watch through symlink %s, same %d\n", err(Watches[1]),
         Watches[1] == Watches[0]);
  Watches[2] = inotify_add_watch(In, at("s"), IN_ALL_EVENTS | IN_DONT_FOLLOW);
  printf("watch symlink itself %s, other %d\n", err(Watches[2]),
         Watches[2] != Watches[0]);
  unlink(at("s"));
  events("unlink symlink");

  // Held open across the unlink: the file goes with its last close.
  Fd = open(at("h"), O_RDONLY);
  events("open");
  unlink(at("h"));
  events("unlink while open");
  close(Fd);
  events("last close");

  printf("missing %s\n", err(inotify_add_watch(In, at("none"), IN_MODIFY)));
  Fd = open(at("e"), O_CREAT | O_WRONLY, 0644);
  close(Fd);
  printf("empty mask %s\n", err(inotify_add_watch(In, at("e"), 0)));
  printf("not inotify %s\n", err(inotify_add_watch(0, at("e"), IN_MODIFY)));
  printf("bad descriptor %s\n", err(inotify_add_watch(-1, at("e"), IN_MODIFY)));
  printf("onlydir on a file %s\n",
         err(inotify_add_watch(In, at("e"), IN_MODIFY | IN_ONLYDIR)));
  unlink(at("e"));
  events("end of the file");

  // A directory: its entries' events, with their names.
  mkdir(at("d"), 0755);
  Fd = open(at("d/old"), O_CREAT | O_WRONLY, 0644);
  close(Fd);
  mkdir(at("d/oldsub"), 0755);
  Watches[0] = inotify_add_watch(In, at("d"), IN_ALL_EVENTS);
  printf("watch dir %s\n", err(Watches[0]));
  events("nothing yet");
  Fd = open(at("d/a"), O_CREAT | O_WRONLY, 0644);
  write(Fd, "abc", 3);
  close(Fd);
  events("create, write, close");
  mkdir(at("d/sub"), 0755);
  events("mkdir");
  mknod(at("d/node"), S_IFREG | 0644, 0);
  unlink(at("d/node"));
  events("mknod a file, unlink");
  Fd = open(at("d"), O_RDONLY | O_DIRECTORY);
  char Entries[4096];
  while (syscall(SYS_getdents64, Fd, Entries, sizeof(Entries)) > 0)
    ;
  close(Fd);
  events("list the directory");
  Fd = open(at("d/old"), O_RDONLY);
  read(Fd, Bytes, sizeof(Bytes));
  close(Fd);
  events("read a file there before the watch");
  chmod(at("d/a"), 0600);
  events("chmod");
  rename(at("d/a"), at("d/b"));
  events("rename within");
  link(at("d/b"), at("d/c"));
  events("link");
  unlink(at("d/c"));
  events("unlink");
  rename(at("d/b"), at("out"));
  events("rename out");
  rename(at("out"), at("d/b"));
  events("rename in");
  // The file replaced watched too: the folder's two halves, then its
  // link count and its end (its IN_ATTRIB came first too, battery 43).
  Watches[3] = inotify_add_watch(In, at("d/b"), IN_ATTRIB | IN_DELETE_SELF);
  printf("watch the file to be replaced %s\n", err(Watches[3]));
  rename(at("d/old"), at("d/b"));
  events("rename over");
  rename(at("d/oldsub"), at("d/sub2"));
  events("rename a directory within");
  // A subdirectory watched too: its own events, and the parent's with its
  // name; the grandchildren only to the subdirectory's watch.
  Watches[1] = inotify_add_watch(In, at("d/sub"), IN_ALL_EVENTS);
  printf("watch subdir %s\n", err(Watches[1]));
  Fd = open(at("d/sub/x"), O_CREAT | O_WRONLY, 0644);
  close(Fd);
  events("create in the subdirectory");
  chmod(at("d/sub"), 0700);
  events("chmod the subdirectory");
  unlink(at("d/sub/x"));
  rmdir(at("d/sub"));
  events("empty and remove the subdirectory");
  rmdir(at("d/sub2"));
  unlink(at("d/b"));
  events("remove the rest");
  rmdir(at("d"));
  events("remove the directory");
  close(In);
  rmdir(Dir);
  return 0;
}
