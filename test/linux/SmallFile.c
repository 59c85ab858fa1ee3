/* linux-smallfile DIR: a small file held in its description (opened for
 * writing with O_TRUNC: the personality's client copy, paper 4.5) and every
 * point where another reader must see its bytes: another process reading
 * while it is open and after close, after fsync, a fork child reading the
 * shared description, growth past the 64 KiB copy, ftruncate, a second open
 * in the same process writing. Prints the same natively. */
#include <fcntl.h>
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
  rmdir(argv[1]);
  return 0;
}
