//===- runtime/lib/KernelLink.cpp - Talk to the kernel --------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/kernel/KernelLink.h"

#include "Futex.h"
#include "k42/trace/Trace.h"
#include "k42/trace/TraceRegion.h"

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

namespace k42::kernel {

Status sendMessage(int Socket, const Message &M, int PassFd, int PassFd2) {
  iovec Io{const_cast<Message *>(&M), sizeof(M)};
  msghdr Header{};
  Header.msg_iov = &Io;
  Header.msg_iovlen = 1;
  alignas(cmsghdr) char Control[CMSG_SPACE(sizeof(int) * 2)];
  if (PassFd >= 0) {
    int Fds[2] = {PassFd, PassFd2};
    size_t N = PassFd2 >= 0 ? 2 : 1;
    Header.msg_control = Control;
    Header.msg_controllen = CMSG_SPACE(sizeof(int) * N);
    cmsghdr *C = CMSG_FIRSTHDR(&Header);
    C->cmsg_level = SOL_SOCKET;
    C->cmsg_type = SCM_RIGHTS;
    C->cmsg_len = CMSG_LEN(sizeof(int) * N);
    std::memcpy(CMSG_DATA(C), Fds, sizeof(int) * N);
  }
  ssize_t Sent;
  do
    Sent = sendmsg(Socket, &Header, MSG_NOSIGNAL);
  while (Sent < 0 && errno == EINTR);
  if (Sent < 0)
    return Status::error(errno);
  return Sent == sizeof(M) ? Status::ok() : Status::error(errc::BadMessage);
}

Status receiveMessage(int Socket, Message &M, int *FdOut, int *SecondOut) {
  if (FdOut)
    *FdOut = -1;
  if (SecondOut)
    *SecondOut = -1;
  iovec Io{&M, sizeof(M)};
  msghdr Header{};
  Header.msg_iov = &Io;
  Header.msg_iovlen = 1;
  alignas(cmsghdr) char Control[CMSG_SPACE(sizeof(int) * 4)];
  Header.msg_control = Control;
  Header.msg_controllen = sizeof(Control);
  ssize_t Got;
  do
    Got = recvmsg(Socket, &Header, MSG_CMSG_CLOEXEC);
  while (Got < 0 && errno == EINTR);
  if (Got < 0)
    return Status::error(errno);
  if (Got == 0)
    return Status::error(errc::PeerDied);
  // Take every fd that came along, so none leaks, and keep at most two.
  size_t Seen = 0;
  for (cmsghdr *C = CMSG_FIRSTHDR(&Header); C; C = CMSG_NXTHDR(&Header, C)) {
    if (C->cmsg_level != SOL_SOCKET || C->cmsg_type != SCM_RIGHTS)
      continue;
    size_t N = (C->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t I = 0; I < N; ++I, ++Seen) {
      int Fd;
      std::memcpy(&Fd, CMSG_DATA(C) + I * sizeof(int), sizeof(int));
      int *Keep = Seen == 0 ? FdOut : Seen == 1 ? SecondOut : nullptr;
      if (Keep)
        *Keep = Fd;
      else
        close(Fd);
    }
  }
  if (Got != sizeof(M) || (Header.msg_flags & (MSG_TRUNC | MSG_CTRUNC))) {
    for (int *Kept : {FdOut, SecondOut})
      if (Kept && *Kept >= 0) {
        close(*Kept);
        *Kept = -1;
      }
    return Status::error(errc::BadMessage);
  }
  M.Name[sizeof(M.Name) - 1] = '\0';
  return Status::ok();
}

Status socketAddress(const std::string &Path, sockaddr_un &Address,
                     int &DirFd) {
  Address = sockaddr_un{};
  Address.sun_family = AF_UNIX;
  DirFd = -1;
  std::string Short = Path;
  if (Path.size() >= sizeof(Address.sun_path)) {
    size_t Slash = Path.rfind('/');
    if (Slash == std::string::npos)
      return Status::error(ENAMETOOLONG);
    std::string Dir = Slash == 0 ? "/" : Path.substr(0, Slash);
    DirFd = open(Dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (DirFd < 0)
      return Status::error(errno);
    Short = "/proc/self/fd/" + std::to_string(DirFd) + Path.substr(Slash);
    if (Short.size() >= sizeof(Address.sun_path)) {
      close(DirFd);
      DirFd = -1;
      return Status::error(ENAMETOOLONG);
    }
  }
  std::memcpy(Address.sun_path, Short.c_str(), Short.size() + 1);
  return Status::ok();
}

/// The channel size a NewClient or Connected says (0: not said).
static size_t sizeOf(const Message &M) {
  return M.Status > 0 ? size_t(M.Status) : 0;
}

static void setName(Message &M, std::string_view Name) {
  size_t N = std::min(Name.size(), sizeof(M.Name) - 1);
  std::memcpy(M.Name, Name.data(), N);
  M.Name[N] = '\0';
}

std::string KernelLink::defaultSocketPath() {
  if (const char *Path = std::getenv("K42_KERNEL_SOCKET"); Path && *Path)
    return Path;
  return "/tmp/k42-" + std::to_string(getuid()) + "/kernel.sock";
}

Result<std::unique_ptr<KernelLink>>
KernelLink::connect(std::string_view Name, const std::string &SocketPath) {
  sockaddr_un Address;
  int DirFd;
  if (Status S = socketAddress(SocketPath, Address, DirFd); !S)
    return S;
  int Fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
  if (Fd < 0) {
    if (DirFd >= 0)
      close(DirFd);
    return Status::error(errno);
  }
  // A connect that waits for room in a busy kernel's backlog ends with
  // EINTR at any signal the caller takes (a timer's, say): not a refusal.
  int Connected;
  do
    Connected =
        ::connect(Fd, reinterpret_cast<sockaddr *>(&Address), sizeof(Address));
  while (Connected != 0 && errno == EINTR);
  int Error = errno;
  if (DirFd >= 0)
    close(DirFd);
  if (Connected != 0) {
    close(Fd);
    return Status::error(Error);
  }
  std::unique_ptr<KernelLink> Link(new KernelLink(Fd));
  Message M{};
  M.Type = MessageType::Hello;
  setName(M, Name);
  if (Status S = Link->request(M); !S)
    return S;
  Link->Self = M.Who;
  // The system's trace region exists from boot on; events from now on
  // carry the K42 pid. A system without one (an older kernel) is traced
  // by nobody, which is not an error.
  (void)trace::attach(trace::regionPathFor(SocketPath));
  trace::setK42Pid(uint32_t(M.Who.Pid));
  trace::event(trace::Major::Link, uint16_t(trace::LinkMinor::Hello), Name);
  return Link;
}

KernelLink::~KernelLink() { close(Fd); }

Status KernelLink::request(Message &M, int *FdOut, int *SecondOut) {
  M.Seq = NextSeq++;
  if (Status S = sendMessage(Fd, M); !S)
    return S;
  for (;;) {
    Message Reply{};
    // Taken here whatever the caller wants: a NewClient's channel is
    // needed to refuse its client.
    int Passed = -1, Second = -1;
    if (Status S = receiveMessage(Fd, Reply, &Passed, &Second); !S)
      return S;
    bool Answer = Reply.Seq == M.Seq && Reply.Type != MessageType::NewClient &&
                  Reply.Type != MessageType::Shutdown;
    if (Second >= 0 && !(Answer && SecondOut))
      close(Second);
    if (Reply.Type == MessageType::Shutdown) {
      if (Passed >= 0)
        close(Passed);
      return Status::error(errc::ChannelClosed);
    }
    if (!Answer) {
      // A client the kernel sends while this process waits for something
      // else is refused, not dropped: the kernel must not wait for an
      // answer that never comes, nor a client answered at once
      // (NewClientAnswerInChannel), which waits in the channel.
      if (Reply.Type == MessageType::NewClient &&
          (Reply.State & NewClientAnswerInChannel)) {
        if (Passed >= 0)
          if (Result<Channel> Chan = Channel::attach(Passed, sizeOf(Reply)))
            answerInChannel(Chan->header(), Status::error(EAGAIN));
        continue; // attach() took the descriptor
      }
      if (Passed >= 0)
        close(Passed);
      if (Reply.Type == MessageType::NewClient) {
        Message Refuse{};
        Refuse.Type = MessageType::ClientReady;
        Refuse.Seq = Reply.Seq;
        Refuse.Status = Status::error(EAGAIN).raw();
        (void)sendMessage(Fd, Refuse);
      }
      continue;
    }
    if (FdOut)
      *FdOut = Passed;
    else if (Passed >= 0)
      close(Passed);
    if (SecondOut)
      *SecondOut = Second;
    M = Reply;
    if (Reply.Type == MessageType::Error)
      return Status::fromRaw(Reply.Status < 0 ? Reply.Status
                                              : Status::error(EIO).raw());
    return Status::ok();
  }
}

Result<ServiceConnection> KernelLink::connectService(std::string_view Path) {
  return connectProcess(0, Path);
}

Result<ServiceConnection> KernelLink::connectProcess(ProcessId Server,
                                                     std::string_view Path) {
  Message M{};
  M.Type = MessageType::Connect;
  M.Who.Pid = Server;
  setName(M, Path);
  trace::event(trace::Major::Link, uint16_t(trace::LinkMinor::Connect), Path);
  int ChannelFd = -1;
  // A process outside the system's pid namespace gets ServerPid 0, which
  // it could not name, and a pidfd of the server instead.
  int Watch = -1;
  if (Status S = request(M, &ChannelFd, &Watch); !S)
    return S;
  if (M.Type != MessageType::Connected || ChannelFd < 0) {
    if (ChannelFd >= 0)
      close(ChannelFd);
    if (Watch >= 0)
      close(Watch);
    return Status::error(errc::BadMessage);
  }
  Result<Channel> Chan = Channel::attach(ChannelFd, sizeOf(M));
  if (!Chan) {
    if (Watch >= 0)
      close(Watch);
    return Chan.status();
  }
  int Pidfd = Watch;
  if (M.ServerPid > 0) {
    if (Watch >= 0)
      close(Watch);
    Pidfd = int(syscall(SYS_pidfd_open, M.ServerPid, 0));
  }
  ServiceConnection Connection;
  Connection.Transport =
      std::make_unique<ChannelTransport>(std::move(*Chan), Pidfd);
  Connection.Root = M.Handle;
  trace::event(trace::Major::Link, uint16_t(trace::LinkMinor::Connected), Path);
  return Connection;
}

Result<std::vector<ProcessEntry>> KernelLink::list() {
  Message M{};
  M.Type = MessageType::List;
  M.Seq = NextSeq++;
  if (Status S = sendMessage(Fd, M); !S)
    return S;
  std::vector<ProcessEntry> Entries;
  for (;;) {
    Message Reply{};
    if (Status S = receiveMessage(Fd, Reply, nullptr); !S)
      return S;
    if (Reply.Seq != M.Seq)
      continue;
    if (Reply.Type == MessageType::ListEnd)
      return Entries;
    if (Reply.Type != MessageType::ProcessInfo)
      return Status::error(errc::BadMessage);
    Entries.push_back(
        {Reply.Who, Reply.ServerPid, (Reply.State & ProcessRunning) != 0,
         std::string(Reply.Name), (Reply.State & ProcessPidIsSystems) != 0});
  }
}

Status KernelLink::shutdown() {
  Message M{};
  M.Type = MessageType::Shutdown;
  M.Seq = ShutdownSeq = NextSeq++;
  return sendMessage(Fd, M);
}

Status KernelLink::waitUntilDown(int TimeoutMs) {
  auto Deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(TimeoutMs);
  for (;;) {
    auto Left = std::chrono::duration_cast<std::chrono::milliseconds>(
        Deadline - std::chrono::steady_clock::now());
    if (Left.count() <= 0)
      return Status::error(ETIMEDOUT);
    pollfd P{Fd, POLLIN, 0};
    int Ready = poll(&P, 1, static_cast<int>(Left.count()));
    if (Ready < 0 && errno != EINTR)
      return Status::error(errno);
    if (Ready <= 0)
      continue;
    // What the kernel still sends while it stops (its Shutdown to every
    // process) is read and dropped; the link's end is the answer.
    Message M{};
    int Passed = -1;
    Status S = receiveMessage(Fd, M, &Passed);
    if (Passed >= 0)
      close(Passed);
    if (!S)
      return Status::ok();
    // The kernel refused the shutdown (not the system's owner): it stays.
    if (M.Type == MessageType::Error && M.Seq == ShutdownSeq)
      return Status::fromRaw(M.Status < 0 ? M.Status
                                          : Status::error(EIO).raw());
  }
}

Status KernelLink::registerService(std::string_view Path) {
  Message M{};
  M.Type = MessageType::Register;
  setName(M, Path);
  return request(M);
}

void KernelLink::answerInChannel(ChannelHeader &Header,
                                 const Result<ObjectHandle> &Root) {
  Header.Root = Root ? *Root : ObjectHandle{};
  Header.RootStatus = Root ? 0 : Root.status().raw();
  Header.Answered.store(1, std::memory_order_seq_cst);
  // Only a client that said it sleeps is woken (it says so before it
  // looks at Answered a last time).
  if (Header.AnswerWaited.load(std::memory_order_seq_cst) != 0)
    detail::futexWake(Header.Answered, 1);
}

Status KernelLink::serve(const NewClientFn &OnNewClient,
                         const ClientGoneFn &OnGone) {
  for (;;) {
    Message M{};
    int ChannelFd = -1;
    if (Status S = receiveMessage(Fd, M, &ChannelFd); !S)
      return S;
    switch (M.Type) {
    case MessageType::Shutdown:
      if (ChannelFd >= 0)
        close(ChannelFd);
      return Status::ok();
    case MessageType::ClientGone:
      if (ChannelFd >= 0)
        close(ChannelFd);
      if (trace::enabled())
        trace::event(trace::Major::Link, uint16_t(trace::LinkMinor::ClientGone),
                     "pid " + std::to_string(M.Who.Pid));
      OnGone(M.Who);
      break;
    case MessageType::NewClient: {
      trace::event(trace::Major::Link, uint16_t(trace::LinkMinor::NewClient),
                   std::string_view(M.Name));
      Message Reply{};
      Reply.Type = MessageType::ClientReady;
      Reply.Seq = M.Seq;
      Result<Channel> Chan = ChannelFd >= 0
                                 ? Channel::attach(ChannelFd, sizeOf(M))
                                 : Result<Channel>(Status::error(EBADF));
      // Kept across OnNewClient, which takes the channel only when it
      // serves the client (and keeps it mapped until ClientGone, which
      // this loop handles): the answer goes into its header either way.
      ChannelHeader *Header = Chan ? &Chan->header() : nullptr;
      Result<ObjectHandle> Root =
          Chan ? OnNewClient(M.Who, M.Name, std::move(*Chan))
               : Result<ObjectHandle>(Chan.status());
      if (M.State & NewClientAnswerInChannel) {
        // The kernel answered the client already; it waits in the
        // channel. A channel that could not be mapped has nobody to tell:
        // the client sees it is not a channel.
        if (Header)
          answerInChannel(*Header, Root);
        break;
      }
      if (Root) {
        Reply.Handle = *Root;
        Reply.Status = 0;
      } else {
        Reply.Status = Root.status().raw();
      }
      if (Status S = sendMessage(Fd, Reply); !S)
        return S;
      break;
    }
    default:
      if (ChannelFd >= 0)
        close(ChannelFd);
      break;
    }
  }
}

} // namespace k42::kernel
