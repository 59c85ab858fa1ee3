//===- servers/pipe/PipeRegistry.cpp - The pipes the server holds ---------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "PipeRegistry.h"

#include "HostWriterPump.h"

#include "k42/kernel/KernelLink.h"
#include "k42/personality/OwnMemfd.h"
#include "k42/personality/PipeClient.h"
#include "k42/personality/PipeRing.h"

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>

#include <fcntl.h>
#include <linux/memfd.h>
#include <pthread.h>
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
using k42::personality::PipeAnswer;
using k42::personality::PipeJoin;
using k42::personality::PipeRequest;
using k42::personality::PipeRing;

namespace {
/// Epoll keys: the listener, the stop event, connections (fd), and each
/// description's peer (PeerBase + its serial).
constexpr uint64_t ListenerKey = 0, StopKey = 1, PeerBase = 2;
constexpr uint64_t ConnTag = uint64_t(1) << 62;

void wakeAll(PipeRing &R) { HostWriterPump::wakeSleepers(R); }

/// Whether a record of some length waits in socket \p Fd (ECONNRESET is
/// the writers' close with our tag unread, reported once before any
/// record).
bool recordWaiting(int Fd) {
  for (int Tries = 0; Tries < 2; ++Tries) {
    ssize_t N = recv(Fd, nullptr, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
    if (N < 0 && errno == ECONNRESET)
      continue;
    return N > 0;
  }
  return false;
}

/// Pumps running at most, and each one's stack.
constexpr int MaxPumps = 256;
constexpr size_t PumpStackBytes = 128 * 1024;

/// What a pump's thread needs (pthread_create's one argument).
struct PumpStart {
  PipeRegistry *Registry;
  uint64_t Key;
  int Fd;
  PipeRing *Ring;
};
} // namespace

PipeRegistry::~PipeRegistry() {
  // The pumps first: each hangs up its peer (which may unmap its ring).
  {
    std::unique_lock<std::mutex> Guard(Lock);
    Stopping.store(true);
    for (auto &[Key, Peer] : Peers)
      if (Peer.Pumped) {
        (void)shutdown(Peer.Fd, SHUT_RDWR);
        if (auto It = Pipes.find(Peer.Pipe); It != Pipes.end())
          wakeAll(*It->second.Ring);
      }
    PumpsDone.wait(Guard, [this] { return PumpsLive == 0; });
  }
  for (auto &[Serial, P] : Pipes) {
    munmap(P.Ring, PipeRing::Bytes);
    close(P.Memfd);
  }
  for (auto &[Key, Peer] : Peers)
    close(Peer.Fd);
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
  // A path past sun_path is bound through its folder, as the kernel's.
  sockaddr_un Address{};
  int DirFd = -1;
  if (Status S = kernel::socketAddress(SocketPath, Address, DirFd); !S)
    return S;
  Pid = int32_t(getpid());
  Listener = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (Listener < 0) {
    Status E = Status::error(errno);
    if (DirFd >= 0)
      close(DirFd);
    return E;
  }
  (void)unlink(SocketPath.c_str());
  bool Bound = bind(Listener, reinterpret_cast<sockaddr *>(&Address),
                    sizeof(Address)) == 0 &&
               ::listen(Listener, 512) == 0;
  Status Failed = Bound ? Status::ok() : Status::error(errno);
  if (DirFd >= 0)
    close(DirFd);
  if (!Bound)
    return Failed;
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
    peerEvent(Key, Events);
}

void PipeRegistry::peerEvent(uint64_t Key, uint32_t Events) {
  // A hang-up reads as EPOLLIN too: a pump only for records waiting.
  if ((Events & EPOLLIN) && pump(Key))
    return;
  if (Events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
    hangUp(Key);
    return;
  }
  // An empty record (a zero-length write): nothing to put in the ring.
  std::lock_guard<std::mutex> Guard(Lock);
  if (auto It = Peers.find(Key); It != Peers.end() && !It->second.Pumped) {
    char Byte;
    (void)recv(It->second.Fd, &Byte, 1, MSG_DONTWAIT);
  }
}

bool PipeRegistry::pump(uint64_t Key) {
  std::lock_guard<std::mutex> Guard(Lock);
  auto PeerIt = Peers.find(Key);
  if (PeerIt == Peers.end() || !PeerIt->second.Writes)
    return false;
  HeldPeer &Peer = PeerIt->second;
  if (Peer.Pumped) // another thread's look saw the same bytes
    return true;
  auto It = Pipes.find(Peer.Pipe);
  if (It == Pipes.end() || !recordWaiting(Peer.Fd))
    return false;
  // The pump owns the socket from now on, its hang-up included: the
  // bytes before it must be in the ring before the writers are gone.
  epoll_ctl(Epoll, EPOLL_CTL_DEL, Peer.Fd, nullptr);
  auto *Start = new PumpStart{this, Key, Peer.Fd, It->second.Ring};
  pthread_t Thread;
  auto Body = [](void *Arg) -> void * {
    PumpStart S = *static_cast<PumpStart *>(Arg);
    delete static_cast<PumpStart *>(Arg);
    (void)HostWriterPump::run(S.Fd, *S.Ring, S.Registry->Stopping);
    S.Registry->pumpEnded(S.Key);
    return nullptr;
  };
  // A pump's stack holds a few calls' frames (the record is on the heap).
  pthread_attr_t Attr;
  pthread_attr_init(&Attr);
  pthread_attr_setstacksize(&Attr, PumpStackBytes);
  bool Started =
      PumpsLive < MaxPumps && pthread_create(&Thread, &Attr, Body, Start) == 0;
  pthread_attr_destroy(&Attr);
  if (!Started) {
    // No thread (or as many pumps as the server runs at most: a process
    // cannot make it start one a pipe without bound): the bytes stay in
    // the socket as before pumps existed, and only the hang-up is
    // watched.
    delete Start;
    std::fprintf(stderr,
                 "k42-pipe-server: no pump for a host writer's bytes into "
                 "pipe %llu (%d running)\n",
                 static_cast<unsigned long long>(It->second.Id), PumpsLive);
    epoll_event E{};
    E.events = EPOLLRDHUP;
    E.data.u64 = Key;
    epoll_ctl(Epoll, EPOLL_CTL_ADD, Peer.Fd, &E);
    return true;
  }
  pthread_detach(Thread);
  Peer.Pumped = true;
  ++PumpsLive;
  return true;
}

void PipeRegistry::pumpEnded(uint64_t Key) {
  hangUp(Key);
  std::lock_guard<std::mutex> Guard(Lock);
  --PumpsLive;
  PumpsDone.notify_all();
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
        peerEvent(Key, Events[I].events);
        Any = true;
      }
    }
    // Other events stay ready (level-triggered) for run() to see.
    if (!Any)
      return;
  }
}

void PipeRegistry::accept() {
  // One a wake-up: the listener is level-triggered, so another waiting
  // comes with the next epoll_wait, and a lone one (the usual: a request
  // a connection) costs no accept4 that fails.
  int Conn = accept4(Listener, nullptr, nullptr, SOCK_CLOEXEC);
  if (Conn < 0)
    return;
  epoll_event E{};
  E.events = EPOLLIN;
  E.data.u64 = ConnTag | uint64_t(Conn);
  epoll_ctl(Epoll, EPOLL_CTL_ADD, Conn, &E);
}

void PipeRegistry::receive(int Conn) {
  // Create and Sync are a PipeRequest, Join a PipeJoin: each exactly.
  personality::PipeJoin Message{};
  PipeRequest &Request = Message.Head;
  iovec Io{&Message, sizeof(Message)};
  alignas(cmsghdr) char Control[CMSG_SPACE(4 * sizeof(int))];
  msghdr Msg{};
  Msg.msg_iov = &Io;
  Msg.msg_iovlen = 1;
  Msg.msg_control = Control;
  Msg.msg_controllen = sizeof(Control);
  ssize_t Got = recvmsg(Conn, &Msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
  if (Got == 0 || (Got < 0 && errno != EAGAIN && errno != EINTR)) {
    // Its only descriptor (accepted here, never passed on): closing it
    // takes it out of the epoll set too.
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
  if (size_t(Got) == sizeof(Message) && Request.Op == PipeRequest::Join &&
      NumFds == 1 && !(Msg.msg_flags & MSG_CTRUNC)) {
    join(Conn, Message, Fds[0]);
    return;
  }
  if (size_t(Got) == sizeof(personality::PipeGrow) &&
      Request.Op == PipeRequest::Grow && NumFds == 1 &&
      !(Msg.msg_flags & MSG_CTRUNC)) {
    personality::PipeGrow Grow;
    std::memcpy(&Grow, &Message, sizeof(Grow));
    int32_t Status = grow(Fds[0], Grow.Bytes);
    close(Fds[0]);
    (void)send(Conn, &Status, sizeof(Status), MSG_NOSIGNAL | MSG_DONTWAIT);
    return;
  }
  for (int I = 0; I < NumFds; ++I)
    close(Fds[I]);
  if (size_t(Got) == sizeof(Request) && Request.Op == PipeRequest::Sync) {
    drain();
    Syncs.fetch_add(1, std::memory_order_relaxed);
    char Done = 1;
    (void)send(Conn, &Done, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
  }
}

int32_t PipeRegistry::grow(int Fd, uint64_t Bytes) {
  // A memfd only (its /proc name; a tmpfs file of another name is not),
  // only grown, and no larger than the personality's own: the client's
  // RLIMIT_FSIZE still holds for its other files.
  char Path[64], Link[16];
  snprintf(Path, sizeof(Path), "/proc/self/fd/%d", Fd);
  ssize_t N = readlink(Path, Link, sizeof(Link));
  static const char Memfd[] = "/memfd:";
  if (N < ssize_t(sizeof(Memfd) - 1) ||
      std::memcmp(Link, Memfd, sizeof(Memfd) - 1) != 0)
    return -EBADF;
  struct stat Info;
  if (fstat(Fd, &Info) != 0)
    return -errno;
  if (Bytes > personality::OwnMemfd::MaxBytes || uint64_t(Info.st_size) > Bytes)
    return -EINVAL;
  return ftruncate(Fd, off_t(Bytes)) == 0 ? 0 : -errno;
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
  if (Ids.count(Id)) { // the same memfd twice: refused
    munmap(At, PipeRing::Bytes);
    close(Memfd);
    close(ReadPeer);
    close(WritePeer);
    return;
  }
  uint64_t Serial = ++Made;
  HeldPipe &P = Pipes[Serial];
  P.Id = Id;
  P.Memfd = Memfd;
  P.Ring = R;
  Ids[Id] = Serial;
  // The peers' tags first: ServerFd set says they are there
  // (PipeCalls::taken).
  addPeer(Serial, ReadPeer, true, false, -1);
  addPeer(Serial, WritePeer, false, true, -1);
  R->ServerPid.store(Pid);
  R->ServerFd.store(Memfd);
  wakeAll(*R);
}

void PipeRegistry::addPeer(uint64_t Serial, int Fd, bool Reads, bool Writes,
                           int Slot) {
  HeldPipe &P = Pipes[Serial];
  uint64_t Key = PeerBase + NextPeer++;
  Peers[Key] = HeldPeer{Serial, Fd, Reads, Writes, Slot};
  ++P.Peers;
  PipeRing &R = *P.Ring;
  if (Reads) {
    R.Readers.store(++P.Readers);
    R.ReaderOpens.fetch_add(1);
    R.ReadersGone.store(0);
  }
  if (Writes) {
    R.Writers.store(++P.Writers);
    R.WriterOpens.fetch_add(1);
    R.WritersGone.store(0);
  }
  // The placeholder's tag, for a process that receives it by SCM_RIGHTS.
  personality::PipeTag Tag{personality::PipeTag::MagicValue,
                           P.Id,
                           Pid,
                           P.Memfd,
                           Reads,
                           Writes,
                           Slot,
                           0};
  (void)send(Fd, &Tag, sizeof(Tag), MSG_NOSIGNAL | MSG_DONTWAIT);
  // Hang-ups, and for a side that writes, bytes: the personality never
  // writes into a placeholder, so they are a writer's without it
  // (HostWriterPump).
  epoll_event E{};
  E.events = EPOLLRDHUP | (Writes ? EPOLLIN : 0);
  E.data.u64 = Key;
  epoll_ctl(Epoll, EPOLL_CTL_ADD, Fd, &E);
}

uint64_t PipeRegistry::makeNamed(uint64_t Dev, uint64_t Ino) {
  // The server makes a named pipe's ring itself, as a process makes an
  // unnamed one (PipeClient::create).
  int Memfd = int(
      syscall(SYS_memfd_create, "k42-fifo", MFD_CLOEXEC | MFD_ALLOW_SEALING));
  if (Memfd < 0)
    return 0;
  struct stat Info;
  void *At = MAP_FAILED;
  if (ftruncate(Memfd, PipeRing::Bytes) == 0 &&
      fcntl(Memfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) ==
          0 &&
      fstat(Memfd, &Info) == 0)
    At = mmap(nullptr, PipeRing::Bytes, PROT_READ | PROT_WRITE, MAP_SHARED,
              Memfd, 0);
  if (At == MAP_FAILED) {
    close(Memfd);
    return 0;
  }
  auto *R = static_cast<PipeRing *>(At);
  R->init();
  R->Id.store(Info.st_ino);
  R->WriteFlags.store(O_WRONLY);
  R->ReadersGone.store(1);
  R->WritersGone.store(1);
  R->ServerPid.store(Pid);
  R->ServerFd.store(Memfd);
  uint64_t Serial = ++Made;
  HeldPipe &P = Pipes[Serial];
  P.Id = Info.st_ino;
  P.Memfd = Memfd;
  P.Ring = R;
  P.Named = true;
  P.FifoDev = Dev;
  P.FifoIno = Ino;
  Ids[P.Id] = Serial;
  Fifos[{Dev, Ino}] = Serial;
  return Serial;
}

void PipeRegistry::join(int Conn, const personality::PipeJoin &Request,
                        int Peer) {
  // Descriptions closed before this open are gone for it (a FIFO whose
  // last opener left is a new, empty pipe; a reader that left is no
  // reader for an O_NONBLOCK writer).
  drain();
  PipeAnswer Answer{};
  Answer.Slot = -1;
  int Memfd = -1;
  bool Reads = Request.Mode & PipeJoin::JoinReads;
  bool Writes = Request.Mode & PipeJoin::JoinWrites;
  int Type = 0;
  socklen_t Len = sizeof(Type);
  {
    std::lock_guard<std::mutex> Guard(Lock);
    uint64_t Serial = 0;
    if (Request.Mode & PipeJoin::JoinFifo) {
      auto It = Fifos.find({Request.Key[0], Request.Key[1]});
      Serial = It != Fifos.end() ? It->second : 0;
    } else if (auto It = Ids.find(Request.Key[0]); It != Ids.end()) {
      Serial = It->second;
    }
    HeldPipe *P = Serial ? &Pipes[Serial] : nullptr;
    if ((!Reads && !Writes) ||
        getsockopt(Peer, SOL_SOCKET, SO_TYPE, &Type, &Len) != 0)
      Answer.Status = -EINVAL;
    else if (!P && !(Request.Mode & PipeJoin::JoinFifo))
      Answer.Status = -ENOENT;
    else if ((Request.Mode & PipeJoin::JoinNeedReader) &&
             (!P || P->Readers == 0))
      Answer.Status = -ENXIO; // no pipe is made for it
    else if (!P && !(Serial = makeNamed(Request.Key[0], Request.Key[1])))
      Answer.Status = -ENOMEM;
    if (Answer.Status == 0) {
      P = &Pipes[Serial];
      PipeRing &R = *P->Ring;
      Answer.OtherOpens = Reads ? R.WriterOpens.load() : R.ReaderOpens.load();
      Answer.OthersThen = Reads ? P->Writers : P->Readers;
      for (int I = 0; I < PipeRing::Slots; ++I)
        if (!(P->SlotsUsed & (uint64_t(1) << I))) {
          P->SlotsUsed |= uint64_t(1) << I;
          Answer.Slot = I;
          R.SlotFlags[I].store(Request.Flags);
          break;
        }
      addPeer(Serial, Peer, Reads, Writes, Answer.Slot);
      Peer = -1;
      Memfd = P->Memfd;
      wakeAll(R);
    }
  }
  if (Peer >= 0)
    close(Peer);
  iovec Io{&Answer, sizeof(Answer)};
  alignas(cmsghdr) char Control[CMSG_SPACE(sizeof(int))] = {};
  msghdr Msg{};
  Msg.msg_iov = &Io;
  Msg.msg_iovlen = 1;
  if (Memfd >= 0) {
    Msg.msg_control = Control;
    Msg.msg_controllen = sizeof(Control);
    cmsghdr *C = CMSG_FIRSTHDR(&Msg);
    C->cmsg_level = SOL_SOCKET;
    C->cmsg_type = SCM_RIGHTS;
    C->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(C), &Memfd, sizeof(int));
  }
  // The memfd stays held here while the pipe lives, so sending it races
  // no close (hang-ups are handled on this thread, or under Lock by
  // drain() on this one too).
  (void)sendmsg(Conn, &Msg, MSG_NOSIGNAL | MSG_DONTWAIT);
}

void PipeRegistry::hangUp(uint64_t Key) {
  std::lock_guard<std::mutex> Guard(Lock);
  auto PeerIt = Peers.find(Key);
  if (PeerIt == Peers.end())
    return;
  HeldPeer Peer = PeerIt->second;
  Peers.erase(PeerIt);
  epoll_ctl(Epoll, EPOLL_CTL_DEL, Peer.Fd, nullptr);
  close(Peer.Fd);
  auto It = Pipes.find(Peer.Pipe);
  if (It == Pipes.end())
    return;
  HeldPipe &P = It->second;
  PipeRing &R = *P.Ring;
  if (Peer.Slot >= 0)
    P.SlotsUsed &= ~(uint64_t(1) << Peer.Slot);
  if (Peer.Reads && --P.Readers == 0)
    R.ReadersGone.store(1);
  if (Peer.Writes && --P.Writers == 0)
    R.WritersGone.store(1);
  R.Readers.store(P.Readers);
  R.Writers.store(P.Writers);
  wakeAll(R);
  // The last description gone: the pipe and its bytes go (a FIFO's next
  // opener gets a new, empty one, as on Linux).
  if (--P.Peers == 0) {
    munmap(P.Ring, PipeRing::Bytes);
    close(P.Memfd);
    Ids.erase(P.Id);
    if (P.Named)
      Fifos.erase({P.FifoDev, P.FifoIno});
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
    Out.push_back(P.Readers);
    Out.push_back(P.Writers);
  }
  return Out;
}
