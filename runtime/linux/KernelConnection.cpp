//===- runtime/linux/KernelConnection.cpp - Kernel link, freestanding -----===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/KernelConnection.h"

#include "k42/personality/CallStats.h"
#include "k42/personality/FdLimit.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/ProcNames.h"
#include "k42/personality/ScmRights.h"
#include "k42/personality/UnixConnect.h"

#include "k42/kernel/KernelProtocol.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>

using namespace k42;
using namespace k42::kernel;
using namespace k42::personality;

namespace {

void setName(Message &M, const char *Name) {
  size_t N = 0;
  for (; Name[N] && N + 1 < sizeof(M.Name); ++N)
    M.Name[N] = Name[N];
  M.Name[N] = '\0';
}

long sendMessage(int Fd, const Message &M) {
  iovec Io{const_cast<Message *>(&M), sizeof(M)};
  msghdr Header{};
  Header.msg_iov = &Io;
  Header.msg_iovlen = 1;
  long Sent;
  do
    Sent = hostCall(SYS_sendmsg, Fd, reinterpret_cast<long>(&Header),
                    MSG_NOSIGNAL);
  while (Sent == -EINTR);
  if (isError(Sent))
    return Sent;
  return Sent == sizeof(M) ? 0 : -EBADMSG;
}

/// One message; at most one descriptor kept in \p FdOut, others closed.
long receiveMessage(int Fd, Message &M, int *FdOut) {
  *FdOut = -1;
  iovec Io{&M, sizeof(M)};
  msghdr Header{};
  Header.msg_iov = &Io;
  Header.msg_iovlen = 1;
  alignas(cmsghdr) char Control[CMSG_SPACE(sizeof(int) * 4)];
  Header.msg_control = Control;
  Header.msg_controllen = sizeof(Control);
  long Got;
  do
    Got = hostCall(SYS_recvmsg, Fd, reinterpret_cast<long>(&Header),
                   MSG_CMSG_CLOEXEC);
  while (Got == -EINTR);
  if (isError(Got))
    return Got;
  if (Got == 0)
    return -ECONNRESET;
  forEachScmRight(Header, [FdOut](int Passed) {
    if (*FdOut < 0)
      *FdOut = Passed;
    else
      (void)hostCall(SYS_close, Passed);
  });
  if (Got != sizeof(M) || (Header.msg_flags & (MSG_TRUNC | MSG_CTRUNC))) {
    if (*FdOut >= 0)
      (void)hostCall(SYS_close, *FdOut);
    *FdOut = -1;
    return -EBADMSG;
  }
  M.Name[sizeof(M.Name) - 1] = '\0';
  return 0;
}

/// The kernel refused this process: it runs outside the system's pid
/// namespace, where its pids (its own, its children's, its signals')
/// would not be the system's. Going on with the host's files instead would
/// hide that, so the program ends here, saying how it should be started.
[[noreturn]] void refuseOutsider() {
  static const char Line[] =
      "k42: this program runs outside the K42 system's pid namespace; start "
      "it with `utils/k42 run` or k42-exec\n";
  (void)hostCall(SYS_write, 2, reinterpret_cast<long>(Line), sizeof(Line) - 1);
  for (;;)
    (void)hostCall(SYS_exit_group, 126);
}

} // namespace

long KernelConnection::open(const char *SocketPath) {
  // Folder and name: a path past sun_path is reached through its folder.
  const char *Slash = std::strrchr(SocketPath, '/');
  size_t DirLength = Slash ? size_t(Slash - SocketPath) + 1 : 0;
  long Raw = hostCall(SYS_socket, AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
  if (isError(Raw))
    return Raw;
  // Out of the way of the program's own descriptors.
  long High = FdLimit::copyHigh(Raw, F_DUPFD_CLOEXEC, FirstPrivateFd);
  (void)hostCall(SYS_close, Raw);
  if (isError(High))
    return High;
  // EINTR while waiting for room in a busy kernel's backlog is no refusal.
  long Done =
      UnixConnect::connect(High, SocketPath, DirLength, SocketPath + DirLength);
  if (isError(Done)) {
    (void)hostCall(SYS_close, High);
    return Done;
  }
  Fd = int(High);
  // The hello rides on the first Connect (ConnectSaysHello): the answer
  // to a hello (the badge) is nothing the personality uses, so one
  // message says both, and the kernel reads one. A kernel that hangs up
  // is seen by that request.
  HelloOwed = true;
  return 0;
}

void KernelConnection::close() {
  // No write when closed already: a fork child closes its parent's
  // connections at once, and a store to a page of the library's data it
  // would not otherwise touch is a page copied for nothing.
  if (Fd < 0)
    return;
  (void)hostCall(SYS_close, Fd);
  Fd = -1;
}

void KernelConnection::credentialsChanged() {
  if (Fd < 0)
    return;
  Message M{};
  M.Type = MessageType::Credentials;
  M.Seq = NextSeq++;
  (void)sendMessage(Fd, M);
}

long KernelConnection::request(void *Raw, int *FdOut) {
  Message &M = *static_cast<Message *>(Raw);
  M.Seq = NextSeq++;
  if (long Error = sendMessage(Fd, M); Error < 0)
    return Error;
  for (;;) {
    Message Reply{};
    int Passed = -1;
    if (long Error = receiveMessage(Fd, Reply, &Passed); Error < 0)
      return Error;
    if (Reply.Type == MessageType::Shutdown) {
      if (Passed >= 0)
        (void)hostCall(SYS_close, Passed);
      return -EPIPE;
    }
    if (Reply.Seq != M.Seq || Reply.Type == MessageType::NewClient) {
      if (Passed >= 0)
        (void)hostCall(SYS_close, Passed);
      if (Reply.Type == MessageType::NewClient) {
        Message Refuse{};
        Refuse.Type = MessageType::ClientReady;
        Refuse.Seq = Reply.Seq;
        Refuse.Status = -EAGAIN;
        (void)sendMessage(Fd, Refuse);
      }
      continue;
    }
    M = Reply;
    if (FdOut)
      *FdOut = Passed;
    else if (Passed >= 0)
      (void)hostCall(SYS_close, Passed);
    if (Reply.Type == MessageType::Error) {
      if (FdOut && *FdOut >= 0)
        (void)hostCall(SYS_close, *FdOut);
      return Reply.Status < 0
                 ? long(Status::fromRaw(Reply.Status).errorCode()) * -1
                 : -EIO;
    }
    return 0;
  }
}

GateTransport *KernelConnection::connect(uint32_t Server, const char *Path,
                                         ObjectHandle &Root, long &Error,
                                         GateTransport::Children Forks) {
  Message M{};
  M.Type = MessageType::Connect;
  M.Who.Pid = Server;
  // Answered at once, the root handle in the channel: the kernel does not
  // wait for the server, nor this process for the kernel to hear from it.
  M.State = ConnectAnswerAtOnce | (HelloOwed ? ConnectSaysHello : 0);
  setName(M, Path);
  int ChannelFd = -1;
  Error = request(&M, &ChannelFd);
  // Said, whatever the answer: the kernel reads the hello first.
  HelloOwed = false;
  if (Error == -OutsideSystem)
    refuseOutsider();
  if (Error < 0)
    return nullptr;
  if (M.Type != MessageType::Connected || ChannelFd < 0) {
    if (ChannelFd >= 0)
      (void)hostCall(SYS_close, ChannelFd);
    Error = -EBADMSG;
    return nullptr;
  }
  CallStats::count(M.ServerPid, CallStats::KernelConnect, 0);
  // The kernel says the channel's size (it made and sealed it): no fstat
  // and no seal check of its own.
  size_t Bytes = M.Status > 0 ? size_t(M.Status) : 0;
  GateTransport *Via =
      GateTransport::attach(ChannelFd, M.ServerPid, Error, Forks, Bytes);
  if (!Via)
    return nullptr;
  // The server's answer, in the channel: the root handle, or why not.
  Error = Via->awaitAnswer(Root);
  if (Error < 0) {
    GateTransport::release(Via);
    return nullptr;
  }
  return Via;
}

void KernelConnection::socketPath(const char *Configured, char *Out,
                                  size_t Capacity) {
  if (Configured && *Configured) {
    size_t N = 0;
    for (; Configured[N] && N + 1 < Capacity; ++N)
      Out[N] = Configured[N];
    Out[N] = 0;
    return;
  }
  // KernelLink::defaultSocketPath(): /tmp/k42-<uid>/kernel.sock.
  char *At = Out;
  for (const char *P = "/tmp/k42-"; *P;)
    *At++ = *P++;
  At = putDecimal(At, uint64_t(hostCall(SYS_getuid)));
  for (const char *P = "/kernel.sock"; *P;)
    *At++ = *P++;
  *At = 0;
}
