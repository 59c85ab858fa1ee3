/* linux-smallfile DIR: a small file held in its description (opened for
 * writing with O_TRUNC: the personality's client copy, paper 4.5) and every
 * point where another reader must see its bytes: another process reading
 * while it is open and after close, after fsync, a fork child reading the
 * shared description, growth past the 64 KiB copy, ftruncate, a second open
 * in the same process writing. Then another client changing the file while
 * the first holds its copy (the server revokes the copy's lease): another
 * process's own open and write, a separate program's, a truncate, unlink
 * and rename by path, and the holder killed while it holds the lease.
 * Prints the same natively. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *What, const char *Path) {
  /* Another process (cat) reads the file by path: the server's copy. */
  char Cmd[600];
  printf("%s: ", What);
  fflush(stdout);
  snprintf(Cmd, sizeof Cmd, "cat %s | head -c 40; echo", Path);
  if (system(Cmd) != 0)
    printf("system failed\n");
}

/* Opens Path emptied for writing (the client copy) with Text in it, read
 * back once through the copy. */
static int holder(const char *Path, const char *Text) {
  int Fd = open(Path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (Fd < 0)
    return -1;
  write(Fd, Text, strlen(Text));
  char B[64];
  ssize_t N = pread(Fd, B, sizeof B, 0);
  printf("holder %.*s\n", (int)(N < 0 ? 0 : N), B);
  return Fd;
}

/* What Fd reads at 0 now, and where its end is. */
static void reread(const char *What, int Fd) {
  char B[64];
  ssize_t N = pread(Fd, B, sizeof B, 0);
  printf("%s: pread %zd %.*s end %ld\n", What, N, (int)(N < 0 ? 0 : N), B,
         (long)lseek(Fd, 0, SEEK_END));
}

/* Runs Body in a fork child (another client of the file server, which
 * opens the file itself) and waits for it. */
static void inChild(void (*Body)(const char *), const char *Path) {
  fflush(stdout);
  pid_t Child = fork();
  if (Child == 0) {
    Body(Path);
    _exit(0);
  }
  waitpid(Child, NULL, 0);
}

static void writeOwnOpen(const char *Path) {
  int Fd = open(Path, O_WRONLY);
  pwrite(Fd, "BBB", 3, 2);
  close(Fd);
}
static void truncateByPath(const char *Path) { truncate(Path, 4); }
static void unlinkAndRemake(const char *Path) {
  unlink(Path);
  int Fd = open(Path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  write(Fd, "remade", 6);
  close(Fd);
}
static void renameAway(const char *Path) {
  char To[600];
  snprintf(To, sizeof To, "%s.moved", Path);
  rename(Path, To);
  int Fd = open(To, O_WRONLY);
  pwrite(Fd, "MOVED", 5, 0);
  close(Fd);
}

static void leases(const char *Dir) {
  char P[512], Cmd[700];
  snprintf(P, sizeof P, "%s/leased", Dir);
  /* Another process opens the path itself and writes. */
  int Fd = holder(P, "aaaaaaaaaa");
  inChild(writeOwnOpen, P);
  reread("after another process wrote", Fd);
  close(Fd);
  /* A separate program opens it read-write (no truncation) and writes. */
  Fd = holder(P, "0123456789");
  snprintf(Cmd, sizeof Cmd, "printf XY 1<> %s", P);
  fflush(stdout);
  if (system(Cmd) != 0)
    printf("system failed\n");
  reread("after another program wrote", Fd);
  /* The holder's copy is gone for good: its own writes and reads go on. */
  pwrite(Fd, "!", 1, 9);
  reread("holder wrote after", Fd);
  close(Fd);
  /* Truncated by path. */
  Fd = holder(P, "hello there");
  inChild(truncateByPath, P);
  reread("after truncate by path", Fd);
  close(Fd);
  /* Unlinked by path and made again: the holder's file is the old one. */
  Fd = holder(P, "original");
  inChild(unlinkAndRemake, P);
  reread("after unlink and remake", Fd);
  show("the path now", P);
  close(Fd);
  /* Renamed by path, then written under its new name. */
  Fd = holder(P, "renamed file");
  inChild(renameAway, P);
  reread("after rename and write", Fd);
  close(Fd);
  snprintf(Cmd, sizeof Cmd, "%s.moved", P);
  unlink(Cmd);
  unlink(P);
  /* The holder is killed while it holds the copy: the next open is
   * answered, and sees what it wrote. */
  int Ready[2];
  if (pipe(Ready) != 0)
    return;
  fflush(stdout);
  pid_t Victim = fork();
  if (Victim == 0) {
    int Held = open(P, O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(Held, "from the dead", 13);
    char B[16];
    pread(Held, B, sizeof B, 0);
    write(Ready[1], "r", 1);
    for (;;)
      pause();
  }
  char C;
  read(Ready[0], &C, 1);
  kill(Victim, SIGKILL);
  waitpid(Victim, NULL, 0);
  Fd = open(P, O_RDWR);
  printf("after the holder was killed: open %s\n", Fd >= 0 ? "ok" : "failed");
  reread("its bytes", Fd);
  close(Fd);
  close(Ready[0]);
  close(Ready[1]);
  unlink(P);
}

int main(int argc, char **argv) {
  if (argc != 2)
    return 2;
  mkdir(argv[1], 0755);
  char P[512];
  snprintf(P, sizeof P, "%s/small", argv[1]);
  int Fd = open(P, O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (Fd < 0)
    return 1;
  write(Fd, "hello world", 11);
  char B[70000];
  ssize_t N = pread(Fd, B, sizeof B, 6);
  printf("pread %zd %.*s\n", N, (int)N, B);
  printf("seek end %ld\n", (long)lseek(Fd, 0, SEEK_END));
  show("open, other process", P);
  pwrite(Fd, "HELLO", 5, 0);
  fsync(Fd);
  show("after fsync", P);
  fflush(stdout);
  pid_t Child = fork();
  if (Child == 0) {
    N = pread(Fd, B, 5, 0);
    printf("child pread %.*s\n", (int)N, B);
    fflush(stdout);
    write(Fd, " from child", 11);
    _exit(0);
  }
  waitpid(Child, NULL, 0);
  N = pread(Fd, B, sizeof B, 0);
  printf("parent after child %zd %.*s\n", N, (int)N, B);
  int Second = open(P, O_WRONLY);
  pwrite(Second, "J", 1, 0);
  close(Second);
  N = pread(Fd, B, 5, 0);
  printf("after second open %.*s\n", (int)N, B);
  ftruncate(Fd, 3);
  N = pread(Fd, B, sizeof B, 0);
  printf("ftruncate 3: %zd %.*s\n", N, (int)N, B);
  memset(B, 'x', sizeof B);
  pwrite(Fd, B, 70000, 100);
  struct stat St;
  fstat(Fd, &St);
  N = pread(Fd, B, sizeof B, 0);
  printf("grown: size %ld pread %zd first %.3s gap %d tail %c\n",
         (long)St.st_size, N, B, B[50], B[69999]);
  close(Fd);
  show("after close", P);
  unlink(P);
  leases(argv[1]);
  rmdir(argv[1]);
  return 0;
}
