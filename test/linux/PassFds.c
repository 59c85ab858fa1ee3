// test/linux/PassFds.c: descriptors passed over an AF_UNIX socket pair
// with SCM_RIGHTS (passfds.test), natively and under the personality,
// where pipes are K42's and DIR may be K42's /tmp: a pipe's read end and
// its write end sent to a fork child, which reads and writes through them
// (EOF and EPIPE as the other side goes), both ends sent in one message, a
// write end sent to the process itself, and a file in DIR whose offset the
// receiver shares. What it prints must be the same.
//
//   linux-passfds DIR
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/// Sends \p N descriptors from \p Fds over \p Sock with one byte.
static int sendFds(int Sock, const int *Fds, int N) {
  char Byte = 'x';
  struct iovec Io = {&Byte, 1};
  char Control[CMSG_SPACE(4 * sizeof(int))];
  memset(Control, 0, sizeof(Control));
  struct msghdr Msg = {0};
  Msg.msg_iov = &Io;
  Msg.msg_iovlen = 1;
  Msg.msg_control = Control;
  Msg.msg_controllen = CMSG_SPACE(N * sizeof(int));
  struct cmsghdr *C = CMSG_FIRSTHDR(&Msg);
  C->cmsg_level = SOL_SOCKET;
  C->cmsg_type = SCM_RIGHTS;
  C->cmsg_len = CMSG_LEN(N * sizeof(int));
  memcpy(CMSG_DATA(C), Fds, N * sizeof(int));
  return sendmsg(Sock, &Msg, 0) == 1 ? 0 : -1;
}

/// Receives up to \p Max descriptors into \p Fds; how many came.
static int recvFds(int Sock, int *Fds, int Max) {
  char Byte;
  struct iovec Io = {&Byte, 1};
  char Control[CMSG_SPACE(4 * sizeof(int))];
  struct msghdr Msg = {0};
  Msg.msg_iov = &Io;
  Msg.msg_iovlen = 1;
  Msg.msg_control = Control;
  Msg.msg_controllen = sizeof(Control);
  if (recvmsg(Sock, &Msg, 0) != 1)
    return -1;
  int N = 0;
  for (struct cmsghdr *C = CMSG_FIRSTHDR(&Msg); C; C = CMSG_NXTHDR(&Msg, C))
    if (C->cmsg_level == SOL_SOCKET && C->cmsg_type == SCM_RIGHTS) {
      int Count = (int)((C->cmsg_len - CMSG_LEN(0)) / sizeof(int));
      for (int I = 0; I < Count && N < Max; ++I)
        memcpy(&Fds[N++], CMSG_DATA(C) + I * sizeof(int), sizeof(int));
    }
  return N;
}

/// Reads \p Fd to EOF into \p Out (at most \p Max - 1 bytes).
static ssize_t readAll(int Fd, char *Out, size_t Max) {
  size_t Got = 0;
  ssize_t N = 0;
  while (Got < Max - 1 && (N = read(Fd, Out + Got, Max - 1 - Got)) > 0)
    Got += (size_t)N;
  Out[Got] = 0;
  return N < 0 ? -1 : (ssize_t)Got;
}

static const char *status(int S) {
  static char Text[32];
  if (WIFEXITED(S))
    snprintf(Text, sizeof(Text), "exit %d", WEXITSTATUS(S));
  else
    snprintf(Text, sizeof(Text), "signal %d", WTERMSIG(S));
  return Text;
}

int main(int Argc, char **Argv) {
  if (Argc != 2) {
    fprintf(stderr, "usage: linux-passfds DIR\n");
    return 2;
  }
  setvbuf(stdout, NULL, _IONBF, 0);
  signal(SIGPIPE, SIG_IGN);
  int S[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, S)) {
    perror("socketpair");
    return 1;
  }

  // A read end to a child that has no pipe of its own.
  pid_t Child = fork();
  if (Child == 0) {
    close(S[0]);
    int Fd;
    if (recvFds(S[1], &Fd, 1) != 1)
      _exit(10);
    char Buf[128];
    ssize_t N = readAll(Fd, Buf, sizeof(Buf));
    printf("child read %zd '%s' then EOF\n", N, Buf);
    _exit(0);
  }
  int P[2];
  pipe(P);
  if (sendFds(S[0], &P[0], 1))
    perror("sendmsg");
  close(P[0]);
  write(P[1], "through a passed read end", 25);
  close(P[1]);
  int St;
  waitpid(Child, &St, 0);
  printf("child %s\n", status(St));

  // A write end to a child, which writes, then writes again once the
  // reader has gone.
  pipe(P);
  Child = fork();
  if (Child == 0) {
    close(S[0]);
    close(P[0]);
    close(P[1]);
    int Fd;
    if (recvFds(S[1], &Fd, 1) != 1)
      _exit(10);
    write(Fd, "from the child", 14);
    char Go;
    read(S[1], &Go, 1);
    // (Under the personality the pipe server sees the reader go a moment
    // later, as for an end inherited by fork: the first writes may still
    // fill the ring.)
    ssize_t N;
    while ((N = write(Fd, "late", 4)) > 0)
      ;
    printf("child's write after the reader went: %s\n",
           N < 0 && errno == EPIPE ? "EPIPE" : "not EPIPE");
    _exit(0);
  }
  sendFds(S[0], &P[1], 1);
  close(P[1]);
  char Buf[128] = {0};
  ssize_t N = read(P[0], Buf, sizeof(Buf) - 1);
  printf("parent read %zd '%s'\n", N, Buf);
  close(P[0]);
  write(S[0], "g", 1);
  waitpid(Child, &St, 0);
  printf("child %s\n", status(St));

  // Both ends in one message, to the process itself; the originals closed.
  pipe(P);
  sendFds(S[0], P, 2);
  close(P[0]);
  close(P[1]);
  int Got[2] = {-1, -1};
  printf("received %d\n", recvFds(S[1], Got, 2));
  write(Got[1], "to myself", 9);
  close(Got[1]);
  memset(Buf, 0, sizeof(Buf));
  N = readAll(Got[0], Buf, sizeof(Buf));
  printf("read back %zd '%s'\n", N, Buf);
  close(Got[0]);

  // A file: the receiver shares its offset.
  char Path[4096];
  snprintf(Path, sizeof(Path), "%s/passed", Argv[1]);
  int F = open(Path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  if (F < 0) {
    perror(Path);
    return 1;
  }
  write(F, "abc", 3);
  Child = fork();
  if (Child == 0) {
    close(S[0]);
    close(F);
    int Fd;
    if (recvFds(S[1], &Fd, 1) != 1)
      _exit(10);
    printf("child's offset %ld\n", (long)lseek(Fd, 0, SEEK_CUR));
    write(Fd, "def", 3);
    struct stat Info;
    fstat(Fd, &Info);
    printf("child's size %ld\n", (long)Info.st_size);
    _exit(0);
  }
  sendFds(S[0], &F, 1);
  waitpid(Child, &St, 0);
  printf("child %s\n", status(St));
  printf("offset after %ld\n", (long)lseek(F, 0, SEEK_CUR));
  lseek(F, 0, SEEK_SET);
  memset(Buf, 0, sizeof(Buf));
  N = readAll(F, Buf, sizeof(Buf));
  printf("file %zd '%s'\n", N, Buf);
  close(F);
  unlink(Path);
  return 0;
}
