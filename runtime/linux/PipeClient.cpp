//===- runtime/linux/PipeClient.cpp - The pipe server, from a process -----===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/PipeClient.h"

#include "k42/personality/FdLimit.h"
#include "k42/personality/ForkLocks.h"
#include "k42/personality/FsBridge.h"
#include "k42/personality/GateLock.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/KernelConnection.h"
#include "k42/personality/OwnMemfd.h"
#include "k42/personality/ProcNames.h"
#include "k42/personality/ProcessState.h"
#include "k42/personality/ScmRights.h"
#include "k42/personality/UnixConnect.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <linux/memfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>

using namespace k42::personality;

static_assert(PipeRing::Bytes <= OwnMemfd::MaxBytes,
              "grown by the pipe server");

namespace {

/// The connection, per process: a forked child must not share its
/// parent's (a Sync answer could go to the other process).
GateLock ClientLock;
K42_HELD_ACROSS_FORK(ClientLock);
long ConnFd = -1;
long ConnPid = 0;
bool Tried = false;

/// Connects \p Fd to <the kernel socket's folder>/pipe.sock.
long connectServer(long Fd) {
  const char *Kernel = FsBridge::socketPath();
  if (!Kernel || !*Kernel)
    return -ENOENT;
  size_t N = std::strlen(Kernel);
  while (N && Kernel[N - 1] != '/')
    --N;
  return UnixConnect::connect(Fd, Kernel, N, "pipe.sock");
}

/// A new connection to the pipe server, from 1000 up; -1 if none.
long connectNew() {
  long Raw = hostCall(SYS_socket, AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
  if (isError(Raw))
    return -1;
  long High =
      FdLimit::copyHigh(Raw, F_DUPFD_CLOEXEC, KernelConnection::FirstPrivateFd);
  (void)hostCall(SYS_close, Raw);
  if (isError(High))
    return -1;
  if (connectServer(High) != 0) {
    (void)hostCall(SYS_close, High);
    return -1;
  }
  return High;
}

/// The connection, made on first use in this process. Lock held.
long connection() {
  // A posix_spawn child runs in its parent's memory with a table of its
  // own: it uses the parent's connection if there is one (its table has
  // a copy), else one of its own that its exec closes, never kept here.
  // Kept, its number was in the child's table alone, and each later
  // pipe() and FIFO open of the parent's was EBADF (system() then a pipe
  // after two execs: make's $(shell), python's subprocess; battery 40).
  if (!ProcessState::callerIsThisProcess())
    return Tried && ConnPid == ProcessState::pid() ? ConnFd : connectNew();
  long Pid = ProcessState::pid();
  if (ConnPid != Pid) {
    if (ConnFd >= 0)
      (void)hostCall(SYS_close, ConnFd);
    ConnFd = -1;
    ConnPid = Pid;
    Tried = false;
  }
  if (Tried)
    return ConnFd;
  Tried = true;
  ConnFd = connectNew();
  return ConnFd;
}

/// One message to the pipe server: \p Bytes of \p Payload, with \p NumFds
/// (up to 3) descriptors. 0 or the host's error.
long sendMessage(long Fd, const void *Payload, size_t Bytes, const int *Fds,
                 int NumFds) {
  iovec Io{const_cast<void *>(Payload), Bytes};
  alignas(cmsghdr) char Control[CMSG_SPACE(3 * sizeof(int))] = {};
  msghdr Msg{};
  Msg.msg_iov = &Io;
  Msg.msg_iovlen = 1;
  if (NumFds) {
    Msg.msg_control = Control;
    Msg.msg_controllen = CMSG_SPACE(size_t(NumFds) * sizeof(int));
    cmsghdr *C = CMSG_FIRSTHDR(&Msg);
    C->cmsg_level = SOL_SOCKET;
    C->cmsg_type = SCM_RIGHTS;
    C->cmsg_len = CMSG_LEN(size_t(NumFds) * sizeof(int));
    std::memcpy(CMSG_DATA(C), Fds, size_t(NumFds) * sizeof(int));
  }
  long Sent;
  do
    Sent =
        hostCall(SYS_sendmsg, Fd, reinterpret_cast<long>(&Msg), MSG_NOSIGNAL);
  while (Sent == -EINTR);
  return isError(Sent) ? Sent : 0;
}

long sendRequest(long Fd, uint32_t Op, const int *Fds, int NumFds) {
  PipeRequest Request{Op, 0};
  return sendMessage(Fd, &Request, sizeof(Request), Fds, NumFds);
}

/// grow() on connection \p Conn, ClientLock held.
long growOn(long Conn, long Fd, uint64_t Bytes) {
  PipeGrow Request{{PipeRequest::Grow, 0}, Bytes};
  int Give = int(Fd);
  long Sent = sendMessage(Conn, &Request, sizeof(Request), &Give, 1);
  if (isError(Sent))
    return Sent == -EPIPE || Sent == -ECONNREFUSED ? -ENOSYS : Sent;
  int32_t Status = 0;
  long Got;
  do
    Got = hostCall(SYS_recvfrom, Conn, reinterpret_cast<long>(&Status),
                   sizeof(Status), 0, 0, 0);
  while (Got == -EINTR);
  if (Got == 0)
    return -ENOSYS; // the server went
  return Got == long(sizeof(Status)) ? long(Status) : -EIO;
}

} // namespace

long PipeClient::create(bool Cloexec, long &ReadFd, long &WriteFd,
                        PipeRing *&Ring) {
  GateLockGuard Guard(ClientLock);
  long Conn = connection();
  if (Conn < 0)
    return -ENOSYS;
  // Each end: [placeholder, peer]. The read end's pair is made first, so
  // its two descriptors are the lowest free; the write end then takes the
  // read peer's number, as pipe() gives the two lowest. Close-on-exec until
  // the server has been sent the pipe: a posix_spawn child another thread
  // clones meanwhile keeps only placeholders whose tag a Sync brings
  // (PipeCalls::beforeExec).
  int ReadPair[2], WritePair[2];
  if (long E = hostCall(SYS_socketpair, AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC,
                        0, reinterpret_cast<long>(ReadPair));
      isError(E))
    return E;
  long E = hostCall(SYS_socketpair, AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
                    reinterpret_cast<long>(WritePair));
  static const char Name[] = "k42-pipe";
  long Mem = isError(E) ? E
                        : hostCall(SYS_memfd_create,
                                   reinterpret_cast<long>(Name),
                                   MFD_CLOEXEC | MFD_ALLOW_SEALING);
  // Past the program's RLIMIT_FSIZE the server sizes it (OwnMemfd).
  long At = isError(Mem) ? Mem
            : OwnMemfd::fits(PipeRing::Bytes)
                ? hostCall(SYS_ftruncate, Mem, PipeRing::Bytes)
                : growOn(Conn, Mem, PipeRing::Bytes);
  // Sealed at its size: no holder (the server included) can be made to
  // fault on it by another shrinking it.
  if (!isError(At))
    At = hostCall(SYS_fcntl, Mem, F_ADD_SEALS,
                  F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL);
  if (!isError(At))
    At = hostCall(SYS_mmap, 0, PipeRing::Bytes, PROT_READ | PROT_WRITE,
                  MAP_SHARED, Mem, 0);
  struct stat Info;
  if (!isError(At))
    if (long S = hostCall(SYS_fstat, Mem, reinterpret_cast<long>(&Info));
        isError(S)) {
      (void)hostCall(SYS_munmap, At, PipeRing::Bytes);
      At = S;
    }
  if (!isError(At)) {
    auto *R = reinterpret_cast<PipeRing *>(At);
    R->init();
    R->Id.store(Info.st_ino);
    R->WriteFlags.store(O_WRONLY);
    int Give[3] = {int(Mem), ReadPair[1], WritePair[1]};
    if (long S = sendRequest(Conn, PipeRequest::Create, Give, 3); isError(S)) {
      (void)hostCall(SYS_munmap, At, PipeRing::Bytes);
      At = S;
    } else {
      Ring = R;
    }
  }
  if (!isError(Mem))
    (void)hostCall(SYS_close, Mem);
  if (!isError(E))
    (void)hostCall(SYS_close, WritePair[1]);
  if (isError(At)) {
    (void)hostCall(SYS_close, ReadPair[0]);
    (void)hostCall(SYS_close, ReadPair[1]);
    if (!isError(E))
      (void)hostCall(SYS_close, WritePair[0]);
    return At == -EPIPE || At == -ECONNREFUSED ? -ENOSYS : At;
  }
  // The write placeholder moves onto the read peer's number (dup3 closes
  // the peer there; the server holds its own copy).
  long W =
      hostCall(SYS_dup3, WritePair[0], ReadPair[1], Cloexec ? O_CLOEXEC : 0);
  (void)hostCall(SYS_close, WritePair[0]);
  if (!Cloexec)
    (void)hostCall(SYS_fcntl, ReadPair[0], F_SETFD, 0);
  ReadFd = ReadPair[0];
  WriteFd = W;
  return isError(W) ? W : 0;
}

long PipeClient::join(uint32_t Mode, const uint64_t Key[2], uint32_t Flags,
                      bool Cloexec, long &Fd, PipeRing *&Ring,
                      PipeAnswer &Answer) {
  GateLockGuard Guard(ClientLock);
  long Conn = connection();
  if (Conn < 0)
    return -ENOSYS;
  // [placeholder, peer]: the placeholder at the lowest free number.
  int Pair[2];
  // Close-on-exec until the server has joined it (as create's).
  if (long E = hostCall(SYS_socketpair, AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC,
                        0, reinterpret_cast<long>(Pair));
      isError(E))
    return E;
  PipeJoin Request{{PipeRequest::Join, 0}, Mode, Flags, {Key[0], Key[1]}};
  long Sent = sendMessage(Conn, &Request, sizeof(Request), &Pair[1], 1);
  (void)hostCall(SYS_close, Pair[1]); // the server holds its own copy
  auto Fail = [&](long E) {
    (void)hostCall(SYS_close, Pair[0]);
    return E;
  };
  if (isError(Sent))
    return Fail(Sent == -EPIPE || Sent == -ECONNREFUSED ? -ENOSYS : Sent);
  // The answer, and the ring's memfd with it on success.
  Answer = PipeAnswer{};
  iovec In{&Answer, sizeof(Answer)};
  alignas(cmsghdr) char Got[CMSG_SPACE(sizeof(int))] = {};
  msghdr Reply{};
  Reply.msg_iov = &In;
  Reply.msg_iovlen = 1;
  Reply.msg_control = Got;
  Reply.msg_controllen = sizeof(Got);
  long N;
  do
    N = hostCall(SYS_recvmsg, Conn, reinterpret_cast<long>(&Reply),
                 MSG_CMSG_CLOEXEC);
  while (N == -EINTR);
  // The answer is the ring's memfd alone: every descriptor of any other
  // reply is closed (a server that sent two, or an error with one, would
  // otherwise leave them in the program's table).
  long Mem = -1;
  int Received = 0;
  if (N < 0)
    Reply.msg_controllen = 0; // the host wrote nothing
  forEachScmRight(Reply, [&](int Fd) {
    if (Received++ == 0)
      Mem = Fd;
    else
      (void)hostCall(SYS_close, Fd);
  });
  bool Whole = N == long(sizeof(Answer)) && Received == 1 &&
               !(Reply.msg_flags & MSG_CTRUNC);
  if (!Whole || Answer.Status < 0) {
    if (Mem >= 0)
      (void)hostCall(SYS_close, Mem);
    return Fail(N == long(sizeof(Answer)) && Answer.Status < 0
                    ? long(Answer.Status)
                    : -EIO);
  }
  long At = hostCall(SYS_mmap, 0, PipeRing::Bytes, PROT_READ | PROT_WRITE,
                     MAP_SHARED, Mem, 0);
  (void)hostCall(SYS_close, Mem);
  if (isError(At))
    return Fail(At);
  Ring = reinterpret_cast<PipeRing *>(At);
  if (!Cloexec)
    (void)hostCall(SYS_fcntl, Pair[0], F_SETFD, 0);
  Fd = Pair[0];
  return 0;
}

void PipeClient::sync() {
  GateLockGuard Guard(ClientLock);
  long Conn = connection();
  if (Conn < 0 || isError(sendRequest(Conn, PipeRequest::Sync, nullptr, 0)))
    return;
  char Answer;
  long Got;
  do
    Got = hostCall(SYS_recvfrom, Conn, reinterpret_cast<long>(&Answer), 1, 0, 0,
                   0);
  while (Got == -EINTR);
}

long PipeClient::grow(long Fd, uint64_t Bytes) {
  GateLockGuard Guard(ClientLock);
  long Conn = connection();
  if (Conn < 0)
    return -ENOSYS;
  return growOn(Conn, Fd, Bytes);
}

long PipeClient::openServers(int32_t ServerPid, int32_t ServerFd) {
  // "/proc/<pid>/fd/<fd>": the server's memfd opened anew.
  char Path[64] = "/proc/";
  char *P = putDecimal(Path + 6, uint32_t(ServerPid));
  std::memcpy(P, "/fd/", 4);
  P = putDecimal(P + 4, uint32_t(ServerFd));
  *P = 0;
  return hostCall(SYS_open, reinterpret_cast<long>(Path), O_RDWR | O_CLOEXEC);
}

namespace {
/// The ring in memfd \p Mem, mapped and checked to be pipe \p Id's.
PipeRing *mapRing(long Mem, uint64_t Id) {
  long At = hostCall(SYS_mmap, 0, PipeRing::Bytes, PROT_READ | PROT_WRITE,
                     MAP_SHARED, Mem, 0);
  if (isError(At))
    return nullptr;
  auto *R = reinterpret_cast<PipeRing *>(At);
  if (R->Magic != PipeRing::MagicValue || R->Id.load() != Id) {
    (void)hostCall(SYS_munmap, At, PipeRing::Bytes);
    return nullptr;
  }
  return R;
}
} // namespace

PipeRing *PipeClient::attach(int32_t ServerPid, int32_t ServerFd, uint64_t Id) {
  long Mem = openServers(ServerPid, ServerFd);
  if (isError(Mem))
    return nullptr;
  PipeRing *R = mapRing(Mem, Id);
  (void)hostCall(SYS_close, Mem);
  return R;
}

PipeRing *PipeClient::attachLocal(int32_t Fd, uint64_t Id) {
  return mapRing(Fd, Id);
}

long PipeClient::peekTag(long Fd, PipeTag &Tag) {
  long Got = hostCall(SYS_recvfrom, Fd, reinterpret_cast<long>(&Tag),
                      sizeof(Tag), MSG_PEEK | MSG_DONTWAIT, 0, 0);
  if (isError(Got))
    return Got;
  return Got == long(sizeof(Tag)) && Tag.Magic == PipeTag::MagicValue &&
                 (Tag.Reads || Tag.Writes)
             ? 0
             : -EINVAL;
}

void PipeClient::detach(PipeRing *Ring) {
  if (Ring)
    (void)hostCall(SYS_munmap, reinterpret_cast<long>(Ring), PipeRing::Bytes);
}
