// PidfdGetfd.c DIR: pidfd_getfd of another process's descriptors
// (pidfd-getfd.test). A child takes, by pidfd_getfd, a file its parent
// opened after the fork and the write end of a pipe its parent made after
// the fork. On Linux the child then holds the parent's open file
// descriptions themselves: one offset between them, the file still the
// file after the parent closes it and opens another, and the pipe's
// reader sees the child's bytes and then EOF once both write ends are
// closed. Before (battery 37), the child got the placeholder alone: a
// memfd of the personality's, read as the description's own bytes.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char Content[] = "0123456789abcdefghij";

/// Waits for one byte on \p Fd (the other side's turn).
static void await(int Fd) {
  char C;
  if (read(Fd, &C, 1) != 1)
    _exit(9);
}

static void say(int Fd) {
  if (write(Fd, "x", 1) != 1)
    _exit(9);
}

static void show(const char *Who, int Fd, int Count) {
  char Got[32] = {0};
  long N = read(Fd, Got, Count);
  printf("%s read %ld '%s'\n", Who, N, N > 0 ? Got : "");
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc != 2)
    return 2;
  mkdir(argv[1], 0755);
  char First[4096], Second[4096];
  snprintf(First, sizeof(First), "%s/first", argv[1]);
  snprintf(Second, sizeof(Second), "%s/second", argv[1]);
  // The turns: parent to child on ToChild, child to parent on ToParent;
  // the numbers taken are sent on Numbers.
  int ToChild[2], ToParent[2], Numbers[2];
  if (pipe(ToChild) || pipe(ToParent) || pipe(Numbers))
    return 1;
  pid_t Parent = getpid();
  pid_t Child = fork();
  if (Child == 0) {
    // Only the other side's ends: a side gone is EOF to the one waiting.
    close(ToChild[1]);
    close(ToParent[0]);
    close(Numbers[1]);
    int Wanted[2];
    if (read(Numbers[0], Wanted, sizeof(Wanted)) != sizeof(Wanted))
      _exit(9);
    int Pidfd = (int)syscall(SYS_pidfd_open, Parent, 0);
    int File = (int)syscall(SYS_pidfd_getfd, Pidfd, Wanted[0], 0);
    int Writer = (int)syscall(SYS_pidfd_getfd, Pidfd, Wanted[1], 0);
    printf("child took both: %d\n", File >= 0 && Writer >= 0);
    printf("child's file close-on-exec: %d\n",
           (fcntl(File, F_GETFD) & FD_CLOEXEC) != 0);
    // The parent read 5 bytes: the child goes on from there.
    show("child", File, 5);
    say(ToParent[1]);
    await(ToChild[0]);
    // The parent closed its descriptor and opened another file.
    show("child after the parent's close", File, 5);
    printf("child's offset %ld\n", (long)lseek(File, 0, SEEK_CUR));
    struct stat St;
    printf("child's fstat size %ld\n",
           fstat(File, &St) == 0 ? (long)St.st_size : -1L);
    if (write(Writer, "from the child", 14) != 14)
      _exit(9);
    close(Writer);
    say(ToParent[1]);
    _exit(0);
  }
  close(ToChild[0]);
  close(ToParent[1]);
  close(Numbers[0]);
  int File = open(First, O_CREAT | O_TRUNC | O_RDWR, 0644);
  if (File < 0 || write(File, Content, sizeof(Content) - 1) < 0)
    return 1;
  lseek(File, 0, SEEK_SET);
  show("parent", File, 5);
  int Pipe[2];
  if (pipe(Pipe))
    return 1;
  int Wanted[2] = {File, Pipe[1]};
  if (write(Numbers[1], Wanted, sizeof(Wanted)) != sizeof(Wanted))
    return 1;
  await(ToParent[0]);
  // The child read 5 more: one offset.
  show("parent", File, 5);
  close(File);
  int Other = open(Second, O_CREAT | O_TRUNC | O_RDWR, 0644);
  if (Other < 0 || write(Other, "second file", 11) != 11)
    return 1;
  say(ToChild[1]);
  await(ToParent[0]);
  close(Pipe[1]);
  char Got[64] = {0};
  long N, Total = 0;
  while ((N = read(Pipe[0], Got + Total, sizeof(Got) - 1 - Total)) > 0)
    Total += N;
  printf("parent's pipe read '%s', then %ld\n", Got, N);
  int Status;
  waitpid(Child, &Status, 0);
  printf("child exited %d\n", WIFEXITED(Status) ? WEXITSTATUS(Status) : -1);
  close(Other);
  unlink(First);
  unlink(Second);
  rmdir(argv[1]);
  return 0;
}
