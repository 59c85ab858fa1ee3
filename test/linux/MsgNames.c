// test/linux/MsgNames.c: the destinations and senders' names of sendmsg,
// sendmmsg, recvmsg and recvmmsg on AF_UNIX datagram sockets named in DIR
// (msg-names.test), natively and under the personality, where DIR may be
// K42's /tmp: a message sent with sendmsg to a bound name, two with one
// sendmmsg, each received with its sender's name as bound, 70 received by
// one recvmmsg with theirs (past the 64 the personality once answered);
// sendmsg to a
// missing name, to a file and to a name nobody bound. Names are printed
// relative to DIR, so what it prints must be the same.
//
//   linux-msgnames DIR
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *Dir;

/// An AF_UNIX address of DIR/NAME.
static socklen_t address(struct sockaddr_un *Addr, const char *Name) {
  memset(Addr, 0, sizeof(*Addr));
  Addr->sun_family = AF_UNIX;
  snprintf(Addr->sun_path, sizeof(Addr->sun_path), "%s/%s", Dir, Name);
  return (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
                     strlen(Addr->sun_path) + 1);
}

/// A datagram socket bound at DIR/NAME.
static int bound(const char *Name) {
  struct sockaddr_un Addr;
  socklen_t Length = address(&Addr, Name);
  unlink(Addr.sun_path);
  int Fd = socket(AF_UNIX, SOCK_DGRAM, 0);
  if (Fd < 0 || bind(Fd, (struct sockaddr *)&Addr, Length) != 0)
    return -1;
  return Fd;
}

/// A received sender's name, relative to DIR.
static const char *relative(const struct sockaddr_un *Addr, socklen_t Length) {
  if (Length <= offsetof(struct sockaddr_un, sun_path))
    return "(unnamed)";
  size_t DirLength = strlen(Dir);
  if (strncmp(Addr->sun_path, Dir, DirLength) == 0 &&
      Addr->sun_path[DirLength] == '/')
    return Addr->sun_path + DirLength + 1;
  return Addr->sun_path;
}

/// sendmsg of TEXT from FD to DIR/NAME: 0 or the errno.
static int sendTo(int Fd, const char *Name, const char *Text) {
  struct sockaddr_un To;
  struct iovec Part = {(void *)Text, strlen(Text)};
  struct msghdr Msg = {0};
  Msg.msg_name = &To;
  Msg.msg_namelen = address(&To, Name);
  Msg.msg_iov = &Part;
  Msg.msg_iovlen = 1;
  return sendmsg(Fd, &Msg, 0) == (ssize_t)strlen(Text) ? 0 : errno;
}

int main(int Argc, char **Argv) {
  if (Argc != 2)
    return 2;
  Dir = Argv[1];
  int Receiver = bound("receiver.sock");
  int Sender = bound("sender.sock");
  if (Receiver < 0 || Sender < 0) {
    perror("bind");
    return 1;
  }
  // One message by sendmsg, received by recvmsg with its sender's name.
  printf("sendmsg: %s\n", strerror(sendTo(Sender, "receiver.sock", "one")));
  char Text[64];
  struct sockaddr_un From;
  struct iovec Part = {Text, sizeof(Text) - 1};
  struct msghdr Msg = {0};
  Msg.msg_name = &From;
  Msg.msg_namelen = sizeof(From);
  Msg.msg_iov = &Part;
  Msg.msg_iovlen = 1;
  // Never blocking: a message that was not sent is an error printed, not
  // a wait for ever.
  ssize_t Got = recvmsg(Receiver, &Msg, MSG_DONTWAIT);
  if (Got < 0)
    printf("recvmsg: %s\n", strerror(errno));
  else {
    Text[Got] = 0;
    printf("recvmsg: %s from %s\n", Text, relative(&From, Msg.msg_namelen));
  }
  // Two by one sendmmsg, received by one recvmmsg with their senders' names.
  struct sockaddr_un To;
  socklen_t ToLength = address(&To, "receiver.sock");
  const char *Texts[2] = {"two", "three"};
  struct iovec Out[2];
  struct mmsghdr Sends[2];
  memset(Sends, 0, sizeof(Sends));
  for (int I = 0; I < 2; ++I) {
    Out[I].iov_base = (void *)Texts[I];
    Out[I].iov_len = strlen(Texts[I]);
    Sends[I].msg_hdr.msg_name = &To;
    Sends[I].msg_hdr.msg_namelen = ToLength;
    Sends[I].msg_hdr.msg_iov = &Out[I];
    Sends[I].msg_hdr.msg_iovlen = 1;
  }
  int Sent = sendmmsg(Sender, Sends, 2, 0);
  printf("sendmmsg: %d sent, lengths %u %u\n", Sent, Sends[0].msg_len,
         Sends[1].msg_len);
  char Texts2[2][64];
  struct sockaddr_un Froms[2];
  struct iovec In[2];
  struct mmsghdr Receives[2];
  memset(Receives, 0, sizeof(Receives));
  for (int I = 0; I < 2; ++I) {
    In[I].iov_base = Texts2[I];
    In[I].iov_len = sizeof(Texts2[I]) - 1;
    Receives[I].msg_hdr.msg_name = &Froms[I];
    Receives[I].msg_hdr.msg_namelen = sizeof(Froms[I]);
    Receives[I].msg_hdr.msg_iov = &In[I];
    Receives[I].msg_hdr.msg_iovlen = 1;
  }
  int Received = recvmmsg(Receiver, Receives, 2, MSG_DONTWAIT, NULL);
  printf("recvmmsg: %d received\n", Received);
  if (Received < 0)
    printf("  %s\n", strerror(errno));
  for (int I = 0; I < Received; ++I) {
    Texts2[I][Receives[I].msg_len] = 0;
    printf("  %s from %s\n", Texts2[I],
           relative(&Froms[I], Receives[I].msg_hdr.msg_namelen));
  }
  // More messages in one recvmmsg than the personality keeps their rooms
  // for on its stack: each still answered with its sender's name.
  // A datagram queue holds ten (net.unix.max_dgram_qlen): a child sends
  // them while recvmmsg waits for all of them.
  enum { Many = 70 };
  fflush(stdout);
  pid_t Child = fork();
  if (Child == 0) {
    int Sent = 0;
    while (Sent < Many && sendTo(Sender, "receiver.sock", "m") == 0)
      ++Sent;
    _exit(Sent == Many ? 0 : 1);
  }
  static char ManyTexts[Many][8];
  static struct sockaddr_un ManyFroms[Many];
  static struct iovec ManyIn[Many];
  static struct mmsghdr ManyReceives[Many];
  for (int I = 0; I < Many; ++I) {
    ManyIn[I].iov_base = ManyTexts[I];
    ManyIn[I].iov_len = sizeof(ManyTexts[I]);
    ManyReceives[I].msg_hdr.msg_name = &ManyFroms[I];
    ManyReceives[I].msg_hdr.msg_namelen = sizeof(ManyFroms[I]);
    ManyReceives[I].msg_hdr.msg_iov = &ManyIn[I];
    ManyReceives[I].msg_hdr.msg_iovlen = 1;
  }
  struct timespec Patience = {10, 0};
  int ManyGot = recvmmsg(Receiver, ManyReceives, Many, 0, &Patience);
  int Status = 0;
  waitpid(Child, &Status, 0);
  int ManySent = WIFEXITED(Status) && WEXITSTATUS(Status) == 0 ? Many : -1;
  int FromSender = 0;
  for (int I = 0; I < ManyGot; ++I)
    FromSender +=
        strcmp(relative(&ManyFroms[I], ManyReceives[I].msg_hdr.msg_namelen),
               "sender.sock") == 0;
  printf("recvmmsg of %d sent: %d received, %d from sender.sock\n", ManySent,
         ManyGot, FromSender);
  // Destinations that are no socket, or one nobody bound.
  printf("to a missing name: %s\n",
         strerror(sendTo(Sender, "missing.sock", "x")));
  char File[sizeof(To.sun_path)];
  snprintf(File, sizeof(File), "%s/regular", Dir);
  close(open(File, O_WRONLY | O_CREAT, 0644));
  printf("to a file: %s\n", strerror(sendTo(Sender, "regular", "x")));
  close(Receiver);
  struct sockaddr_un Gone;
  address(&Gone, "receiver.sock");
  printf("to a closed socket's name: %s\n",
         strerror(sendTo(Sender, "receiver.sock", "x")));
  unlink(Gone.sun_path);
  printf("to an unlinked name: %s\n",
         strerror(sendTo(Sender, "receiver.sock", "x")));
  return 0;
}
