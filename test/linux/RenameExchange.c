// test/linux/RenameExchange.c: renameat2's RENAME_EXCHANGE, natively in a
// host folder and on K42's /tmp under the personality; what it prints
// must be the same.
//
//   linux-renameexchange DIR   the exchanges below, in DIR (made here)
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "InFolder.h"

static const char *err(int R) {
  if (R == 0)
    return "ok";
  switch (errno) {
  case ENOENT: return "ENOENT";
  case EINVAL: return "EINVAL";
  case ENOTDIR: return "ENOTDIR";
  case EEXIST: return "EEXIST";
  case EXDEV: return "EXDEV";
  default: return strerror(errno);
  }
}

static void put(const char *Name, const char *Text) {
  int Fd = open(at(Name), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (Fd >= 0) {
    (void)!write(Fd, Text, strlen(Text));
    close(Fd);
  }
}

static const char *text(const char *Name) {
  static char Buf[4][64];
  static int Next;
  char *B = Buf[Next++ % 4];
  memset(B, 0, 64);
  int Fd = open(at(Name), O_RDONLY);
  if (Fd < 0)
    return "(none)";
  (void)!read(Fd, B, 63);
  close(Fd);
  return B;
}

static int exchange(const char *A, const char *B) {
  return renameat2(AT_FDCWD, at(A), AT_FDCWD, at(B), RENAME_EXCHANGE);
}

static ino_t ino(const char *Name) {
  struct stat S;
  return stat(at(Name), &S) == 0 ? S.st_ino : 0;
}

static long links(const char *Name) {
  struct stat S;
  return stat(at(Name), &S) == 0 ? (long)S.st_nlink : -1;
}

/// The events waiting on \p In, names and kinds; the two halves of each
/// move share a cookie.
static void events(int In) {
  char Buf[4096] __attribute__((aligned(8)));
  ssize_t N = read(In, Buf, sizeof(Buf));
  uint32_t First = 0;
  for (char *P = Buf; N > 0 && P < Buf + N;) {
    struct inotify_event *E = (struct inotify_event *)P;
    if (!First)
      First = E->cookie;
    printf("  event %s%s %s cookie %s\n",
           E->mask & IN_MOVED_FROM ? "MOVED_FROM"
           : E->mask & IN_MOVED_TO ? "MOVED_TO"
                                   : "other",
           E->mask & IN_ISDIR ? ",ISDIR" : "", E->len ? E->name : "-",
           E->cookie == First ? "first" : "second");
    P += sizeof(*E) + E->len;
  }
}

int main(int Argc, char **Argv) {
  if (Argc != 2)
    return 2;
  setvbuf(stdout, NULL, _IONBF, 0);
  snprintf(Dir, sizeof(Dir), "%s", Argv[1]);
  if (mkdir(Dir, 0755) != 0)
    return 1;

  // Two files in one folder: names and contents swap, each file whole.
  put("a", "file a");
  put("b", "file b");
  ino_t A = ino("a"), B = ino("b");
  int Held = open(at("a"), O_RDONLY);
  printf("files %s\n", err(exchange("a", "b")));
  printf("  a '%s' b '%s' inodes swapped %d\n", text("a"), text("b"),
         ino("a") == B && ino("b") == A);
  // A descriptor's name follows its file.
  char Link[64], Path[PATH_MAX] = {0};
  snprintf(Link, sizeof(Link), "/proc/self/fd/%d", Held);
  (void)!readlink(Link, Path, sizeof(Path) - 1);
  printf("  open file now named b %d\n", strcmp(Path, at("b")) == 0);
  close(Held);

  // A file and a folder, in two folders: the folder's parent changes.
  mkdir(at("p"), 0755);
  mkdir(at("q"), 0755);
  mkdir(at("p/sub"), 0755);
  put("p/sub/inside", "inside");
  put("q/file", "q's file");
  printf("parents' links before %ld %ld\n", links("p"), links("q"));
  printf("file and folder %s\n", err(exchange("p/sub", "q/file")));
  printf("  q/file is a folder with '%s', p/sub '%s'\n", text("q/file/inside"),
         text("p/sub"));
  printf("  its .. is q %d\n", ino("q/file/..") == ino("q"));
  printf("parents' links after %ld %ld\n", links("p"), links("q"));

  // Linux's refusals.
  printf("missing second %s\n", err(exchange("a", "none")));
  printf("missing first %s\n", err(exchange("none", "a")));
  mkdir(at("q/file/deeper"), 0755);
  printf("folder with its own child %s\n", err(exchange("q/file", "q/file/deeper")));
  printf("child with its own folder %s\n", err(exchange("q/file/deeper", "q/file")));
  printf("with noreplace %s\n",
         err(renameat2(AT_FDCWD, at("a"), AT_FDCWD, at("b"),
                       RENAME_EXCHANGE | RENAME_NOREPLACE)));
  printf("file with trailing slash %s\n", err(exchange("a/", "p")));
  link(at("a"), at("a2"));
  printf("two names of one file %s, a '%s'\n", err(exchange("a", "a2")),
         text("a"));
  printf("onto itself %s\n", err(exchange("a", "a")));

  // A watched folder hears both moves, as two pairs.
  int In = inotify_init1(IN_NONBLOCK);
  inotify_add_watch(In, Dir, IN_MOVED_FROM | IN_MOVED_TO);
  printf("watched %s\n", err(exchange("a", "b")));
  events(In);
  printf("watched, the other folder unwatched %s\n",
         err(exchange("b", "q/file")));
  events(In);
  printf("the other folder first %s\n", err(exchange("q/file", "b")));
  events(In);
  close(In);
  printf("  b '%s', q/file is a folder with '%s'\n", text("b"),
         text("q/file/inside"));
  return 0;
}
