// test/linux/PipeHostile.c: hostile requests to the pipe server's socket
// (servers/pipe): each must be refused without harm, and the server must
// go on answering. Not run under the personality: it speaks the wire.
//
//   linux-pipehostile SOCKET   one line per request, then whether the
//                              server still answers a Sync
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

// The wire (PipeClient.h): {uint32 Op; uint32 Reserved}, Create = 1
// with [memfd, read peer, write peer], Sync = 2 answered with one byte;
// Join = 3 {Op, Reserved, Mode, Flags, Key[2]} with [peer], answered with
// {int32 Status, Slot, uint32 OtherOpens, OthersThen}.
struct Request {
  uint32_t Op, Reserved;
};
struct Join {
  uint32_t Op, Reserved, Mode, Flags;
  uint64_t Key[2];
};

static int sendWith(int Conn, const void *Data, size_t Len, const int *Fds,
                    int NumFds) {
  struct iovec Io = {(void *)Data, Len};
  char Control[CMSG_SPACE(8 * sizeof(int))];
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
  return sendmsg(Conn, &Msg, MSG_NOSIGNAL) < 0 ? -1 : 0;
}

static int syncAnswered(int Conn) {
  struct Request R = {2, 0};
  if (sendWith(Conn, &R, sizeof(R), NULL, 0) != 0)
    return 0;
  struct pollfd P = {Conn, POLLIN, 0};
  char B;
  return poll(&P, 1, 10000) == 1 && recv(Conn, &B, 1, 0) == 1;
}

int main(int Argc, char **Argv) {
  if (Argc != 2)
    return 2;
  setvbuf(stdout, NULL, _IONBF, 0);
  struct sockaddr_un A = {0};
  A.sun_family = AF_UNIX;
  snprintf(A.sun_path, sizeof(A.sun_path), "%s", Argv[1]);
  int Conn = socket(AF_UNIX, SOCK_SEQPACKET, 0);
  if (connect(Conn, (struct sockaddr *)&A, sizeof(A)) != 0) {
    printf("cannot connect: %s\n", strerror(errno));
    return 1;
  }
  struct Request Create = {1, 0};
  char Junk[3] = "ab";
  printf("short message sent %d\n", sendWith(Conn, Junk, 3, NULL, 0) == 0);
  printf("create without descriptors sent %d\n",
         sendWith(Conn, &Create, sizeof(Create), NULL, 0) == 0);
  int Null[3] = {open("/dev/null", O_RDWR), open("/dev/null", O_RDWR),
                 open("/dev/null", O_RDWR)};
  printf("create with /dev/null sent %d\n",
         sendWith(Conn, &Create, sizeof(Create), Null, 3) == 0);
  // A memfd of the ring's size (4096 + 1 MiB) without the ring's magic.
  int Mem = memfd_create("not-a-ring", 0);
  ftruncate(Mem, 4096 + (1 << 20));
  int Pair[2], Pair2[2];
  socketpair(AF_UNIX, SOCK_SEQPACKET, 0, Pair);
  socketpair(AF_UNIX, SOCK_SEQPACKET, 0, Pair2);
  int Forged[3] = {Mem, Pair[1], Pair2[1]};
  printf("create with a forged ring sent %d\n",
         sendWith(Conn, &Create, sizeof(Create), Forged, 3) == 0);
  int Many[6] = {Null[0], Null[1], Null[2], Mem, Pair[0], Pair2[0]};
  printf("create with six descriptors sent %d\n",
         sendWith(Conn, &Create, sizeof(Create), Many, 6) == 0);
  struct Request Unknown = {77, 0};
  printf("unknown request sent %d\n",
         sendWith(Conn, &Unknown, sizeof(Unknown), NULL, 0) == 0);
  struct Join NoPeer = {3, 0, 1, 0, {1, 0}};
  printf("join without a peer sent %d\n",
         sendWith(Conn, &NoPeer, sizeof(NoPeer), NULL, 0) == 0);
  int Peer[2];
  socketpair(AF_UNIX, SOCK_SEQPACKET, 0, Peer);
  struct Join NoPipe = {3, 0, 1, 0, {12345, 0}};
  int Status[4] = {0};
  if (sendWith(Conn, &NoPipe, sizeof(NoPipe), &Peer[1], 1) == 0 &&
      recv(Conn, Status, sizeof(Status), 0) == sizeof(Status))
    printf("join of no pipe answered %d\n", Status[0]);
  struct Join NoSide = {3, 0, 0, 0, {0, 0}};
  if (sendWith(Conn, &NoSide, sizeof(NoSide), &Peer[1], 1) == 0 &&
      recv(Conn, Status, sizeof(Status), 0) == sizeof(Status))
    printf("join of neither side answered %d\n", Status[0]);
  printf("server answers sync %d\n", syncAnswered(Conn));
  // A second connection, closed in the middle: the server goes on.
  int Other = socket(AF_UNIX, SOCK_SEQPACKET, 0);
  connect(Other, (struct sockaddr *)&A, sizeof(A));
  close(Other);
  printf("server answers sync again %d\n", syncAnswered(Conn));
  return 0;
}
