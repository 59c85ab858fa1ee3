#define _GNU_SOURCE
// Malformed replies of a pipe server: the personality must close every
// descriptor a bad reply brought and fail the open cleanly.
//
//   linux-pipereplies serve SOCKET READY   a hostile pipe server at SOCKET
//                                          (READY made once it listens):
//                                          each Join is answered wrongly,
//                                          in turn as below; run natively
//   linux-pipereplies open FIFO            under the personality: opens of
//                                          the K42 named pipe FIFO, which
//                                          the server must join, one per
//                                          kind of bad reply; each fails,
//                                          and leaves no descriptor open
//
// The wire (PipeClient.h): requests {uint32 Op; uint32 Reserved}, Sync = 2
// answered with one byte, Join = 3 with [peer] answered with {int32
// Status, Slot; uint32 OtherOpens, OthersThen} and the ring's memfd.
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

struct Answer {
  int32_t Status, Slot;
  uint32_t OtherOpens, OthersThen;
};

enum { NumBad = 5 };
static const char *const BadNames[NumBad] = {
    "an answer with two memfds",
    "an answer with three memfds (one past the room)",
    "an error with a memfd",
    "a short answer with a memfd",
    "an answer without a memfd",
};

static void answer(int Conn, int Kind) {
  struct Answer A = {0, -1, 0, 0};
  size_t Bytes = sizeof(A);
  int NumFds = 1;
  switch (Kind) {
  case 0:
    NumFds = 2;
    break;
  case 1:
    NumFds = 3;
    break;
  case 2:
    A.Status = -ENXIO;
    break;
  case 3:
    Bytes = 4;
    break;
  default:
    NumFds = 0;
    break;
  }
  int Fds[3];
  for (int I = 0; I < NumFds; ++I) {
    Fds[I] = memfd_create("hostile", MFD_CLOEXEC);
    (void)ftruncate(Fds[I], 1 << 20);
  }
  struct iovec Io = {&A, Bytes};
  char Control[CMSG_SPACE(3 * sizeof(int))];
  memset(Control, 0, sizeof(Control));
  struct msghdr Msg = {0};
  Msg.msg_iov = &Io;
  Msg.msg_iovlen = 1;
  if (NumFds) {
    Msg.msg_control = Control;
    Msg.msg_controllen = CMSG_SPACE(NumFds * sizeof(int));
    struct cmsghdr *C = CMSG_FIRSTHDR(&Msg);
    C->cmsg_level = SOL_SOCKET;
    C->cmsg_type = SCM_RIGHTS;
    C->cmsg_len = CMSG_LEN(NumFds * sizeof(int));
    memcpy(CMSG_DATA(C), Fds, NumFds * sizeof(int));
  }
  (void)sendmsg(Conn, &Msg, MSG_NOSIGNAL);
  for (int I = 0; I < NumFds; ++I)
    close(Fds[I]);
}

/// Serves one connection until it closes; \p Kind counts the Joins.
static void serveConnection(int Conn, int *Kind) {
  for (;;) {
    char Buf[256];
    char Control[CMSG_SPACE(8 * sizeof(int))];
    struct iovec Io = {Buf, sizeof(Buf)};
    struct msghdr Msg = {0};
    Msg.msg_iov = &Io;
    Msg.msg_iovlen = 1;
    Msg.msg_control = Control;
    Msg.msg_controllen = sizeof(Control);
    long N = recvmsg(Conn, &Msg, MSG_CMSG_CLOEXEC);
    if (N <= 0)
      return;
    for (struct cmsghdr *C = CMSG_FIRSTHDR(&Msg); C; C = CMSG_NXTHDR(&Msg, C))
      if (C->cmsg_level == SOL_SOCKET && C->cmsg_type == SCM_RIGHTS)
        for (size_t I = 0; I < (C->cmsg_len - CMSG_LEN(0)) / sizeof(int); ++I) {
          int Fd;
          memcpy(&Fd, CMSG_DATA(C) + I * sizeof(int), sizeof(int));
          close(Fd);
        }
    uint32_t Op = 0;
    if (N >= 4)
      memcpy(&Op, Buf, sizeof(Op));
    if (Op == 2)
      (void)send(Conn, "s", 1, MSG_NOSIGNAL);
    else if (Op == 3)
      answer(Conn, (*Kind)++ % NumBad);
  }
}

static int serve(const char *Path, const char *Ready) {
  int Listen = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
  struct sockaddr_un At = {.sun_family = AF_UNIX};
  if (strlen(Path) >= sizeof(At.sun_path)) {
    fprintf(stderr, "linux-pipereplies: %s: path too long\n", Path);
    return 1;
  }
  strcpy(At.sun_path, Path);
  if (Listen < 0 || bind(Listen, (struct sockaddr *)&At, sizeof(At)) != 0 ||
      listen(Listen, 16) != 0) {
    perror(Path);
    return 1;
  }
  int Mark = open(Ready, O_CREAT | O_WRONLY, 0600);
  close(Mark);
  int Kind = 0;
  for (;;) {
    int Conn = accept4(Listen, NULL, NULL, SOCK_CLOEXEC);
    if (Conn < 0)
      continue;
    serveConnection(Conn, &Kind);
    close(Conn);
  }
}

/// How many descriptors the program has (below the personality's own, at
/// 1000 and up).
static int openDescriptors(void) {
  int N = 0;
  for (int Fd = 0; Fd < 1000; ++Fd)
    N += fcntl(Fd, F_GETFD) != -1;
  return N;
}

static int openEach(const char *Fifo) {
  if (mkfifo(Fifo, 0600) != 0 && errno != EEXIST) {
    perror(Fifo);
    return 1;
  }
  int Before = openDescriptors();
  for (int I = 0; I < NumBad; ++I) {
    int Fd = open(Fifo, O_RDWR);
    int Err = errno;
    int After = openDescriptors();
    if (Fd >= 0)
      close(Fd);
    printf("%s: open %s (%s), %d descriptors left open\n", BadNames[I],
           Fd < 0 ? "failed" : "succeeded", Fd < 0 ? strerror(Err) : "-",
           After - Before - (Fd >= 0));
    Before = openDescriptors();
  }
  return 0;
}

int main(int Argc, char **Argv) {
  if (Argc == 4 && strcmp(Argv[1], "serve") == 0)
    return serve(Argv[2], Argv[3]);
  if (Argc == 3 && strcmp(Argv[1], "open") == 0)
    return openEach(Argv[2]);
  fprintf(stderr, "usage: linux-pipereplies serve SOCKET READY | open FIFO\n");
  return 2;
}
