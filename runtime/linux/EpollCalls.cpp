//===- runtime/linux/EpollCalls.cpp - epoll with K42 pipes ----------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// epoll_ctl, epoll_wait, epoll_pwait, epoll_pwait2 for sets that hold a
/// K42 pipe end. The host's epoll would watch the end's placeholder (a
/// socket nobody writes), so the pipe ends an epoll set holds are kept
/// here instead (the set's other descriptors stay in the host's set), and
/// a wait on a set with pipe ends answers their readiness from the rings
/// (level-triggered; EPOLLET reports a ring once per change, EPOLLONESHOT
/// once until EPOLL_CTL_MOD) together with the host's events, polling
/// the host's set in slices (0.5 ms doubling to 16 ms) while nothing is
/// ready, as poll does for a mixed set. Epoll sets without pipe ends pass
/// through untouched.
///
//===----------------------------------------------------------------------===//

#include "k42/personality/FaultSignals.h"
#include "k42/personality/FileDispatch.h"
#include "k42/personality/ForkLocks.h"
#include "k42/personality/GateLock.h"
#include "k42/personality/Handlers.h"
#include "k42/personality/HeldFile.h"
#include "k42/personality/HeldPipe.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/PipeCalls.h"
#include "k42/personality/ProcNames.h"
#include "k42/personality/SigsysState.h"
#include "k42/personality/SyscallTable.h"
#include "k42/personality/UserMemory.h"

#include <cerrno>
#include <cstring>
#include <ctime>

#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/syscall.h>

using namespace k42::personality;

namespace {

constexpr long Billion = 1'000'000'000;

/// One pipe end in one epoll set.
struct Watch {
  int Epfd;
  int Fd;
  uint32_t Events;
  uint32_t LastSeq;
  uint64_t Data;
  bool Used;
};

/// The pipe ends the process's epoll sets hold.
constexpr int MaxWatches = 256;
GateLock WatchLock;
K42_HELD_ACROSS_FORK(WatchLock);
alignas(TableAlign) Watch Watches[MaxWatches];
/// How many are in use: a close with none to forget costs one load.
uint32_t NumWatches;

Watch *find(int Epfd, int Fd) {
  for (Watch &W : Watches)
    if (W.Used && W.Epfd == Epfd && W.Fd == Fd)
      return &W;
  return nullptr;
}

bool holdsPipes(int Epfd) {
  if (!__atomic_load_n(&NumWatches, __ATOMIC_ACQUIRE))
    return false;
  GateLockGuard Guard(WatchLock);
  for (const Watch &W : Watches)
    if (W.Used && W.Epfd == Epfd)
      return true;
  return false;
}

/// Whether \p Epfd is an epoll descriptor (its link names eventpoll).
long checkEpoll(long Epfd) {
  if (Epfd < 0)
    return -EBADF;
  char Path[FdPathBytes];
  fdPath(Epfd, Path);
  char Link[64];
  long Len = hostCall(SYS_readlink, reinterpret_cast<long>(Path),
                      reinterpret_cast<long>(Link), sizeof(Link) - 1);
  if (Len < 0)
    return -EBADF;
  Link[Len] = 0;
  return std::strcmp(Link, "anon_inode:[eventpoll]") == 0 ? 0 : -EINVAL;
}

long nowNs() {
  timespec T;
  (void)hostCall(SYS_clock_gettime, CLOCK_MONOTONIC,
                 reinterpret_cast<long>(&T));
  return T.tv_sec * Billion + T.tv_nsec;
}

/// The ready pipe ends of \p Epfd into \p Out (at most \p Max).
int readyPipes(int Epfd, epoll_event *Out, int Max) {
  int N = 0;
  GateLockGuard Guard(WatchLock);
  for (Watch &W : Watches) {
    if (N == Max)
      break;
    if (!W.Used || W.Epfd != Epfd)
      continue;
    HeldPipe End(W.Fd);
    if (!End)
      continue;
    std::atomic<uint32_t> *Word = nullptr;
    uint32_t Seen = 0;
    // poll's bits are epoll's for these events.
    short Got = PipeCalls::ready(*End, short(W.Events & 0xffff), Word, Seen);
    if (!Got)
      continue;
    if ((W.Events & EPOLLET) && Seen == W.LastSeq)
      continue;
    W.LastSeq = Seen;
    Out[N].events = uint32_t(uint16_t(Got));
    Out[N].data.u64 = W.Data;
    ++N;
    if (W.Events & EPOLLONESHOT)
      W.Events &= uint32_t(EPOLLONESHOT | EPOLLET); // disarmed until MOD
  }
  return N;
}

/// Marks the rings of \p Epfd's pipe ends whose pipe server is gone
/// (PipeCalls::serverLost), so that they are ready.
void checkServers(int Epfd) {
  GateLockGuard Guard(WatchLock);
  for (Watch &W : Watches)
    if (W.Used && W.Epfd == Epfd)
      if (HeldPipe End(W.Fd); End)
        (void)PipeCalls::serverLost(*End);
}

/// A wait on a set holding pipe ends: \p TimeoutNs -1 for none.
long waitMixed(long Epfd, long User, long Max, long TimeoutNs,
               const sigset_t *Mask) {
  if (Max <= 0)
    return -EINVAL;
  constexpr int Chunk = 128;
  epoll_event Local[Chunk];
  int Want = Max < Chunk ? int(Max) : Chunk;
  FaultSignals::TemporaryMask Counted(
      Mask ? *reinterpret_cast<const uint64_t *>(Mask) : 0);
  long Deadline = TimeoutNs < 0 ? -1 : nowNs() + TimeoutNs;
  long Slice = 500'000;
  long NextCheck = nowNs() + PipeCalls::ServerCheckNs;
  for (;;) {
    long Now = nowNs();
    if (Now >= NextCheck) {
      // Only the pipe server ends a wait for a side that is gone.
      checkServers(int(Epfd));
      NextCheck = Now + PipeCalls::ServerCheckNs;
    }
    int N = readyPipes(int(Epfd), Local, Want);
    long Left = Deadline < 0 ? -1 : Deadline - Now;
    if (Deadline >= 0 && Left < 0)
      Left = 0;
    long Wait = N || Left == 0 ? 0 : (Left < 0 || Left > Slice ? Slice : Left);
    if (Slice < 16'000'000)
      Slice *= 2;
    int Ms = int((Wait + 999'999) / 1'000'000);
    long Got = N == Want
                   ? 0
                   : hostCall(SYS_epoll_pwait, Epfd,
                              reinterpret_cast<long>(Local + N), Want - N, Ms,
                              reinterpret_cast<long>(Mask), Mask ? 8 : 0);
    if (Got < 0)
      return N ? N : Got;
    N += int(Got);
    if (N || Left == 0) {
      if (N && UserMemory::copyOut(reinterpret_cast<void *>(User), Local,
                                   size_t(N) * sizeof(epoll_event)) < 0)
        return -EFAULT;
      return N;
    }
  }
}

} // namespace

void PipeCalls::forgetWatches(long Fd) {
  if (!__atomic_load_n(&NumWatches, __ATOMIC_ACQUIRE))
    return;
  GateLockGuard Guard(WatchLock);
  for (Watch &W : Watches)
    if (W.Used && (W.Fd == Fd || W.Epfd == Fd)) {
      W.Used = false;
      --NumWatches;
    }
}

long sys::epoll_ctl(SyscallCall &Call) {
  long Epfd = Call.Arg[0], Op = Call.Arg[1], Fd = Call.Arg[2];
  PipeEnd *End = PipeCalls::get(Fd);
  if (!End) {
    // An O_PATH K42 file is no open file to watch (Linux's fdget: EBADF,
    // where the host would judge its placeholder, a memfd: EPERM).
    if (HeldFile F(Fd); F && FileDispatch::pathOnly(*F))
      return -EBADF;
    return passToHost(Call);
  }
  if (long E = checkEpoll(Epfd); E < 0)
    return E;
  if (Epfd == Fd)
    return -EINVAL;
  epoll_event Event{};
  if (Op != EPOLL_CTL_DEL &&
      UserMemory::copyIn(&Event, reinterpret_cast<void *>(Call.Arg[3]),
                         sizeof(Event)) < 0)
    return -EFAULT;
  GateLockGuard Guard(WatchLock);
  Watch *W = find(int(Epfd), int(Fd));
  switch (Op) {
  case EPOLL_CTL_ADD: {
    if (W)
      return -EEXIST;
    for (Watch &Free : Watches)
      if (!Free.Used) {
        // Seq is never 0xffffffff at start, so EPOLLET reports once now.
        Free =
            Watch{int(Epfd), int(Fd), Event.events, ~0u, Event.data.u64, true};
        ++NumWatches;
        return 0;
      }
    return -ENOSPC;
  }
  case EPOLL_CTL_MOD:
    if (!W)
      return -ENOENT;
    W->Events = Event.events;
    W->Data = Event.data.u64;
    W->LastSeq = ~0u;
    return 0;
  case EPOLL_CTL_DEL:
    if (!W)
      return -ENOENT;
    W->Used = false;
    --NumWatches;
    return 0;
  default:
    return -EINVAL;
  }
}

long sys::epoll_wait(SyscallCall &Call) {
  // epoll_pwait without a mask (its fifth argument: none).
  SyscallCall NoMask = Call;
  NoMask.Arg[4] = 0;
  return sys::epoll_pwait(NoMask);
}

long sys::epoll_pwait(SyscallCall &Call) {
  if (!holdsPipes(int(Call.Arg[0])))
    return passToHost(Call);
  sigset_t Storage;
  const sigset_t *Mask;
  if (long E =
          SigsysState::copyWaitMask(Call.Arg[4], Call.Arg[5], Storage, Mask);
      E < 0)
    return E;
  int Ms = int(Call.Arg[3]);
  return waitMixed(Call.Arg[0], Call.Arg[1], Call.Arg[2],
                   Ms < 0 ? -1 : long(Ms) * 1'000'000, Mask);
}

long sys::epoll_pwait2(SyscallCall &Call) {
  if (!holdsPipes(int(Call.Arg[0])))
    return passToHost(Call);
  long TimeoutNs = -1;
  if (Call.Arg[3]) {
    timespec T;
    if (UserMemory::copyIn(&T, reinterpret_cast<void *>(Call.Arg[3]),
                           sizeof(T)) < 0)
      return -EFAULT;
    if (T.tv_sec < 0 || T.tv_nsec < 0 || T.tv_nsec >= Billion)
      return -EINVAL;
    TimeoutNs = T.tv_sec * Billion + T.tv_nsec;
  }
  sigset_t Storage;
  const sigset_t *Mask;
  if (long E =
          SigsysState::copyWaitMask(Call.Arg[4], Call.Arg[5], Storage, Mask);
      E < 0)
    return E;
  return waitMixed(Call.Arg[0], Call.Arg[1], Call.Arg[2], TimeoutNs, Mask);
}
