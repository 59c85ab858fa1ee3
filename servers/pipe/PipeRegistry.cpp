//===- servers/pipe/PipeRegistry.cpp - The pipes the server holds ---------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "PipeRegistry.h"

#include "k42/personality/PipeClient.h"
#include "k42/personality/PipeRing.h"

#include <cerrno>
#include <climits>
#include <cstring>

#include <fcntl.h>
#include <linux/futex.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

using namespace k42;
using namespace k42::pipe;
using k42::personality::PipeRequest;
using k42::personality::PipeRing;

namespace {
/// Epoll keys: the listener, the stop event, connections (fd), and each
/// pipe end's peer (serial * 4 + 2 for the read end, + 3 for the write
/// end).
constexpr uint64_t ListenerKey = 0, StopKey = 1;
constexpr uint64_t ConnTag = uint64_t(1) << 62;
uint64_t endKey(uint64_t Serial, bool Writer) {
  return Serial * 4 + 2 + Writer;
}

void wakeAll(PipeRing &R) {
  R.Seq.fetch_add(1);
  syscall(SYS_futex, &R.Seq, FUTEX_WAKE, INT_MAX, nullptr, nullptr, 0);
}
} // namespace

PipeRegistry::~PipeRegistry() {
  for (auto &[Serial, P] : Pipes) {
    munmap(P.Ring, PipeRing::Bytes);
    close(P.Memfd);
    if (P.ReadPeer >= 0)
      close(P.ReadPeer);
    if (P.WritePeer >= 0)
      close(P.WritePeer);
  }
  for (int Fd : {Epoll, Listener, StopFd})
    if (Fd >= 0)
      close(Fd);
}

Status PipeRegistry::listen(const std::string &SocketPath) {
  // Three descriptors a pipe: as many as the host lets us have.
  rlimit Limit;
  if (getrlimit(RLIMIT_NOFILE, &Limit) == 0) {
    Limit.rlim_cur = Limit.rlim_max;
    (void)setrlimit(RLIMIT_NOFILE, &Limit);
  }
  sockaddr_un Address{};
  if (SocketPath.size() >= sizeof(Address.sun_path))
    return Status::error(ENAMETOOLONG);
  Address.sun_family = AF_UNIX;
  std::memcpy(Address.sun_path, SocketPath.c_str(), SocketPath.size() + 1);
  Listener = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (Listener < 0)
    return Status::error(errno);
  (void)unlink(SocketPath.c_str());
  if (bind(Listener, reinterpret_cast<sockaddr *>(&Address), sizeof(Address)) !=
          0 ||
      ::listen(Listener, 512) != 0)
    return Status::error(errno);
  Path = SocketPath;
  Epoll = epoll_create1(EPOLL_CLOEXEC);
  StopFd = eventfd(0, EFD_CLOEXEC);
  if (Epoll < 0 || StopFd < 0)
    return Status::error(errno);
  epoll_event E{};
  E.events = EPOLLIN;
  E.data.u64 = ListenerKey;
  epoll_ctl(Epoll, EPOLL_CTL_ADD, Listener, &E);
  E.data.u64 = StopKey;
  epoll_ctl(Epoll, EPOLL_CTL_ADD, StopFd, &E);
  return Status::ok();
}

void PipeRegistry::run() {
  epoll_event Events[64];
  for (;;) {
    int N = epoll_wait(Epoll, Events, 64, -1);
    if (N < 0 && errno == EINTR)
      continue;
    if (N < 0)
      return;
    for (int I = 0; I < N; ++I) {
      if (Events[I].data.u64 == StopKey)
        return;
      handle(Events[I].data.u64, Events[I].events);
    }
  }
}

void PipeRegistry::stop() {
  uint64_t One = 1;
  if (StopFd >= 0)
    (void)!write(StopFd, &One, sizeof(One));
  if (!Path.empty())
    (void)unlink(Path.c_str());
}

void PipeRegistry::handle(uint64_t Key, uint32_t Events) {
  if (Key == ListenerKey)
    accept();
  else if (Key & ConnTag)
    receive(int(Key & ~ConnTag));
  else if (Key >= 2)
    hangUp(Key);
  (void)Events;
}

void PipeRegistry::drain() {
  // Every hang-up the host has already reported, before a Sync answer.
  epoll_event Events[64];
  for (;;) {
    int N = epoll_wait(Epoll, Events, 64, 0);
    if (N <= 0)
      return;
    bool Any = false;
    for (int I = 0; I < N; ++I) {
      uint64_t Key = Events[I].data.u64;
      if (Key >= 2 && !(Key & ConnTag)) {
        hangUp(Key);
        Any = true;
      }
    }
    // Other events stay ready (level-triggered) for run() to see.
    if (!Any)
      return;
  }
}

void PipeRegistry::accept() {
  for (;;) {
    int Conn = accept4(Listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (Conn < 0)
      return;
    epoll_event E{};
    E.events = EPOLLIN;
    E.data.u64 = ConnTag | uint64_t(Conn);
    epoll_ctl(Epoll, EPOLL_CTL_ADD, Conn, &E);
  }
}

void PipeRegistry::receive(int Conn) {
  PipeRequest Request{};
  iovec Io{&Request, sizeof(Request)};
  alignas(cmsghdr) char Control[CMSG_SPACE(4 * sizeof(int))];
  msghdr Msg{};
  Msg.msg_iov = &Io;
  Msg.msg_iovlen = 1;
  Msg.msg_control = Control;
  Msg.msg_controllen = sizeof(Control);
  ssize_t Got = recvmsg(Conn, &Msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
  if (Got == 0 || (Got < 0 && errno != EAGAIN && errno != EINTR)) {
    epoll_ctl(Epoll, EPOLL_CTL_DEL, Conn, nullptr);
    close(Conn);
    return;
  }
  if (Got < 0)
    return;
  // Whatever descriptors came: exactly three with Create, none otherwise.
  int Fds[4];
  int NumFds = 0;
  for (cmsghdr *C = CMSG_FIRSTHDR(&Msg); C; C = CMSG_NXTHDR(&Msg, C))
    if (C->cmsg_level == SOL_SOCKET && C->cmsg_type == SCM_RIGHTS) {
      int N = int((C->cmsg_len - CMSG_LEN(0)) / sizeof(int));
      for (int I = 0; I < N; ++I) {
        int Fd;
        std::memcpy(&Fd, CMSG_DATA(C) + I * sizeof(int), sizeof(int));
        if (NumFds < 4)
          Fds[NumFds++] = Fd;
        else
          close(Fd);
      }
    }
  if (size_t(Got) == sizeof(Request) && Request.Op == PipeRequest::Create &&
      NumFds == 3 && !(Msg.msg_flags & MSG_CTRUNC)) {
    take(Fds[0], Fds[1], Fds[2]);
    return;
  }
  for (int I = 0; I < NumFds; ++I)
    close(Fds[I]);
  if (size_t(Got) == sizeof(Request) && Request.Op == PipeRequest::Sync) {
    drain();
    char Done = 1;
    (void)send(Conn, &Done, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
  }
}

void PipeRegistry::take(int Memfd, int ReadPeer, int WritePeer) {
  // A hostile sender's descriptors are checked before use: a memfd of the
  // ring's size, sealed against shrinking, holding its magic, and two
  // sockets.
  struct stat Info;
  void *At = MAP_FAILED;
  int Type = 0;
  socklen_t Len = sizeof(Type);
  // Sealed against shrinking, or a sender could make our next touch of the
  // ring a SIGBUS.
  int Seals = fcntl(Memfd, F_GET_SEALS);
  if (fstat(Memfd, &Info) == 0 && S_ISREG(Info.st_mode) &&
      size_t(Info.st_size) == PipeRing::Bytes && Seals >= 0 &&
      (Seals & F_SEAL_SHRINK) &&
      getsockopt(ReadPeer, SOL_SOCKET, SO_TYPE, &Type, &Len) == 0 &&
      getsockopt(WritePeer, SOL_SOCKET, SO_TYPE, &Type, &Len) == 0)
    At = mmap(nullptr, PipeRing::Bytes, PROT_READ | PROT_WRITE, MAP_SHARED,
              Memfd, 0);
  auto *R = static_cast<PipeRing *>(At);
  if (At == MAP_FAILED || R->Magic != PipeRing::MagicValue ||
      R->Id.load() != uint64_t(Info.st_ino)) {
    if (At != MAP_FAILED)
      munmap(At, PipeRing::Bytes);
    close(Memfd);
    close(ReadPeer);
    close(WritePeer);
    return;
  }
  uint64_t Id = Info.st_ino;
  std::lock_guard<std::mutex> Guard(Lock);
  if (!Ids.insert(Id).second) { // the same memfd twice: refused
    munmap(At, PipeRing::Bytes);
    close(Memfd);
    close(ReadPeer);
    close(WritePeer);
    return;
  }
  uint64_t Serial = ++Made;
  Pipes[Serial] = HeldPipe{Id, Memfd, ReadPeer, WritePeer, R};
  R->ServerPid.store(int32_t(getpid()));
  R->ServerFd.store(Memfd);
  // Only hang-ups matter: the ends never write to their peers.
  epoll_event E{};
  E.events = EPOLLRDHUP;
  E.data.u64 = endKey(Serial, false);
  epoll_ctl(Epoll, EPOLL_CTL_ADD, ReadPeer, &E);
  E.data.u64 = endKey(Serial, true);
  epoll_ctl(Epoll, EPOLL_CTL_ADD, WritePeer, &E);
  wakeAll(*R);
}

void PipeRegistry::hangUp(uint64_t Key) {
  uint64_t Serial = (Key - 2) / 4;
  bool Writer = (Key - 2) % 4;
  std::lock_guard<std::mutex> Guard(Lock);
  auto It = Pipes.find(Serial);
  if (It == Pipes.end())
    return;
  HeldPipe &P = It->second;
  int &Peer = Writer ? P.WritePeer : P.ReadPeer;
  if (Peer < 0)
    return;
  epoll_ctl(Epoll, EPOLL_CTL_DEL, Peer, nullptr);
  close(Peer);
  Peer = -1;
  (Writer ? P.Ring->WritersGone : P.Ring->ReadersGone).store(1);
  wakeAll(*P.Ring);
  if (P.ReadPeer < 0 && P.WritePeer < 0) {
    munmap(P.Ring, PipeRing::Bytes);
    close(P.Memfd);
    Ids.erase(P.Id);
    Pipes.erase(It);
  }
}

void PipeRegistry::stats(uint64_t &Live, uint64_t &MadeOut) {
  std::lock_guard<std::mutex> Guard(Lock);
  Live = Pipes.size();
  MadeOut = Made;
}

std::vector<uint64_t> PipeRegistry::list() {
  std::lock_guard<std::mutex> Guard(Lock);
  std::vector<uint64_t> Out;
  for (auto &[Serial, P] : Pipes) {
    Out.push_back(P.Id);
    Out.push_back(P.Ring->Tail - P.Ring->Head);
    Out.push_back(P.ReadPeer >= 0);
    Out.push_back(P.WritePeer >= 0);
  }
  return Out;
}
