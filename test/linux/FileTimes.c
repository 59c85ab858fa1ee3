// FileTimes.c DIR: a file's times as Linux (6.13 and later) stamps them on
// tmpfs and ext4: the coarse clock's tick (two files written in one tick
// have equal times, the tick's own), a fine time for a change made after
// the times were read in the same tick (never missed), the change time of
// each call that changes a file (write, fchmod, chmod, rename, link,
// unlink, truncate, utimensat) and none for one that does not (both times
// UTIME_OMIT), relatime's access time (moved by a read, a listing or a
// readlink when not after the modification and change times, kept when it
// is). DIR must not exist; it is removed.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char Path[8][512];

static long long ns(struct timespec T) {
  return T.tv_sec * 1000000000LL + T.tv_nsec;
}

static struct stat statOf(const char *P) {
  struct stat S;
  if (lstat(P, &S) != 0) {
    perror(P);
    exit(1);
  }
  return S;
}

static void writeFile(const char *P, int Flags) {
  int Fd = open(P, O_WRONLY | O_CREAT | Flags, 0644);
  if (Fd < 0 || write(Fd, "x", 1) != 1) {
    perror(P);
    exit(1);
  }
  close(Fd);
}

static long long coarse(void) {
  struct timespec T;
  clock_gettime(CLOCK_REALTIME_COARSE, &T);
  return ns(T);
}

/// Two files written one after the other at the start of a tick: their
/// times equal and the tick's (a few tries: another process's fine time
/// raises the floor under coarse times, and a tick may pass meanwhile).
static void coarseTimes(void) {
  int Seen = 0;
  for (int Try = 0; Try < 100 && !Seen; ++Try) {
    long long Tick = coarse();
    while (coarse() == Tick)
      ;
    Tick = coarse();
    unlink(Path[0]);
    unlink(Path[1]);
    writeFile(Path[0], O_TRUNC);
    writeFile(Path[1], O_TRUNC);
    if (coarse() != Tick)
      continue;
    struct stat A = statOf(Path[0]), B = statOf(Path[1]);
    Seen = ns(A.st_mtim) == Tick && ns(B.st_mtim) == Tick &&
           ns(A.st_ctim) == Tick && ns(A.st_atim) == Tick;
  }
  printf("written in one tick: equal times, the tick's: %s\n",
         Seen ? "yes" : "no");
}

#define LATER(A, B)                                                            \
  (ns(A) > ns(B) ? "later" : ns(A) == ns(B) ? "same" : "EARLIER")

int main(int Argc, char **Argv) {
  if (Argc != 2)
    return 2;
  const char *Dir = Argv[1];
  if (mkdir(Dir, 0755) != 0) {
    perror(Dir);
    return 1;
  }
  for (int I = 0; I < 8; ++I)
    snprintf(Path[I], sizeof Path[I], "%s/f%d", Dir, I);
  coarseTimes();

  // A change after a stat, at once: a later time, never the same.
  writeFile(Path[2], O_TRUNC);
  struct stat Before = statOf(Path[2]);
  writeFile(Path[2], O_APPEND);
  struct stat After = statOf(Path[2]);
  printf("write after stat: mtime %s, ctime %s, atime %s, mtime==ctime %d\n",
         LATER(After.st_mtim, Before.st_mtim),
         LATER(After.st_ctim, Before.st_ctim),
         LATER(After.st_atim, Before.st_atim),
         ns(After.st_mtim) == ns(After.st_ctim));

  int Fd = open(Path[2], O_RDWR);
  Before = statOf(Path[2]);
  fchmod(Fd, 0600);
  After = statOf(Path[2]);
  printf("fchmod: mtime %s, ctime %s\n", LATER(After.st_mtim, Before.st_mtim),
         LATER(After.st_ctim, Before.st_ctim));
  Before = After;
  chmod(Path[2], 0644);
  After = statOf(Path[2]);
  printf("chmod: mtime %s, ctime %s\n", LATER(After.st_mtim, Before.st_mtim),
         LATER(After.st_ctim, Before.st_ctim));
  Before = After;
  ftruncate(Fd, 1); // the same size
  After = statOf(Path[2]);
  printf("ftruncate: mtime %s, ctime %s\n",
         LATER(After.st_mtim, Before.st_mtim),
         LATER(After.st_ctim, Before.st_ctim));
  Before = After;
  truncate(Path[2], 1);
  After = statOf(Path[2]);
  printf("truncate: mtime %s, ctime %s\n", LATER(After.st_mtim, Before.st_mtim),
         LATER(After.st_ctim, Before.st_ctim));

  // Explicit times, UTIME_OMIT and UTIME_NOW.
  struct timespec Set[2] = {{1000000000, 123456789}, {1100000000, 987654321}};
  utimensat(AT_FDCWD, Path[2], Set, 0);
  After = statOf(Path[2]);
  printf("utimensat: %lld %lld\n", ns(After.st_atim), ns(After.st_mtim));
  Before = After;
  struct timespec Omit[2] = {{0, UTIME_OMIT}, {0, UTIME_OMIT}};
  utimensat(AT_FDCWD, Path[2], Omit, 0);
  After = statOf(Path[2]);
  printf("both UTIME_OMIT: ctime %s\n", LATER(After.st_ctim, Before.st_ctim));
  struct timespec NowOmit[2] = {{0, UTIME_OMIT}, {0, UTIME_NOW}};
  utimensat(AT_FDCWD, Path[2], NowOmit, 0);
  After = statOf(Path[2]);
  printf("UTIME_OMIT, UTIME_NOW: atime %lld, mtime==ctime %d, ctime %s\n",
         ns(After.st_atim), ns(After.st_mtim) == ns(After.st_ctim),
         LATER(After.st_ctim, Before.st_ctim));

  // relatime: a read moves an access time not after the modification or
  // change time; one after both (and not a day old) stays.
  utimensat(AT_FDCWD, Path[2], Set, 0);
  char C;
  lseek(Fd, 0, SEEK_SET);
  read(Fd, &C, 1);
  struct stat Read1 = statOf(Path[2]);
  struct timespec Future[2] = {{time(NULL) + 3600, 5}, {0, UTIME_OMIT}};
  utimensat(AT_FDCWD, Path[2], Future, 0);
  lseek(Fd, 0, SEEK_SET);
  read(Fd, &C, 1);
  struct stat Read2 = statOf(Path[2]);
  printf("read: atime moved %d, a later one kept %d, mtime %lld\n",
         ns(Read1.st_atim) > ns(Set[0]), ns(Read2.st_atim) == ns(Future[0]),
         ns(Read2.st_mtim));
  // O_NOATIME (the owner's): its reads leave the access time (a read of
  // a K42 file moved it: battery 41).
  utimensat(AT_FDCWD, Path[2], Set, 0);
  int NoAtime = open(Path[2], O_RDONLY | O_NOATIME);
  read(NoAtime, &C, 1);
  close(NoAtime);
  struct stat Read3 = statOf(Path[2]);
  printf("read with O_NOATIME: atime kept %d\n",
         ns(Read3.st_atim) == ns(Set[0]));
  read(Fd, &C, 1); // at the end: still a read
  close(Fd);

  // Names: the directory and the file each call changes.
  struct stat DirBefore = statOf(Dir);
  writeFile(Path[3], O_TRUNC);
  struct stat DirAfter = statOf(Dir);
  printf("create: dir mtime %s, ctime %s\n",
         LATER(DirAfter.st_mtim, DirBefore.st_mtim),
         LATER(DirAfter.st_ctim, DirBefore.st_ctim));
  Before = statOf(Path[3]);
  DirBefore = DirAfter;
  link(Path[3], Path[4]);
  After = statOf(Path[3]);
  DirAfter = statOf(Dir);
  printf("link: file ctime %s, mtime %s, dir mtime %s\n",
         LATER(After.st_ctim, Before.st_ctim),
         LATER(After.st_mtim, Before.st_mtim),
         LATER(DirAfter.st_mtim, DirBefore.st_mtim));
  Before = After;
  rename(Path[4], Path[5]);
  After = statOf(Path[5]);
  printf("rename: file ctime %s, mtime %s\n",
         LATER(After.st_ctim, Before.st_ctim),
         LATER(After.st_mtim, Before.st_mtim));
  Before = After;
  unlink(Path[5]);
  After = statOf(Path[3]);
  printf("unlink of a link: file ctime %s, links %ld\n",
         LATER(After.st_ctim, Before.st_ctim), (long)After.st_nlink);

  // A listing is an access of the directory (relatime).
  utimensat(AT_FDCWD, Dir, Set, 0);
  DIR *D = opendir(Dir);
  while (readdir(D))
    ;
  closedir(D);
  DirAfter = statOf(Dir);
  printf("listing: dir atime moved %d, mtime %lld\n",
         ns(DirAfter.st_atim) > ns(Set[0]), ns(DirAfter.st_mtim));

  // readlink is an access of the link (relatime), as Linux's touch_atime
  // (it never moved: battery 41).
  char Link[4096], Target[64];
  snprintf(Link, sizeof(Link), "%s/link", Dir);
  symlink("target", Link);
  utimensat(AT_FDCWD, Link, Set, AT_SYMLINK_NOFOLLOW);
  long Got = readlink(Link, Target, sizeof(Target));
  struct stat LinkAfter;
  lstat(Link, &LinkAfter);
  printf("readlink %ld: link atime moved %d, mtime %lld\n", Got,
         ns(LinkAfter.st_atim) > ns(Set[0]), ns(LinkAfter.st_mtim));
  unlink(Link);

  for (int I = 0; I < 8; ++I)
    unlink(Path[I]);
  printf("rmdir %d\n", rmdir(Dir));
  return 0;
}
