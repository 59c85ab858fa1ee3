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
/// (level-triggered; EPOLLET once per write, or read for EPOLLOUT;
/// EPOLLONESHOT once until EPOLL_CTL_MOD; least recently reported first)
/// together with the host's events, polling the host's set in slices
/// (0.5 ms doubling to 16 ms) while nothing is ready, as poll does for a
/// mixed set. Waits on sets without pipe ends are the host's; adding a
/// pipe end wakes one already waiting through the kick (below).
///
//===----------------------------------------------------------------------===//

#include "k42/personality/FaultSignals.h"
#include "k42/personality/FdLimit.h"
#include "k42/personality/FileDispatch.h"
#include "k42/personality/ForkLocks.h"
#include "k42/personality/GateLock.h"
#include "k42/personality/Handlers.h"
#include "k42/personality/HeldFile.h"
#include "k42/personality/HeldPipe.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/KernelConnection.h"
#include "k42/personality/PipeCalls.h"
#include "k42/personality/ProcNames.h"
#include "k42/personality/SigsysState.h"
#include "k42/personality/SyscallTable.h"
#include "k42/personality/UserMemory.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <utility>

#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>

using namespace k42::personality;

namespace {

constexpr long Billion = 1'000'000'000;

/// One pipe end in one epoll set.
struct Watch {
  int Epfd;
  int Fd;
  uint32_t Events;
  /// EPOLLET: the end's marks when it was last reported
  /// (PipeCalls::edges); ~0 before the first report.
  uint64_t LastIn;
  uint64_t LastOut;
  uint64_t Data;
  /// When it was added or last reported: ready watches are reported
  /// least recent first, so that a wait with a small maxevents reaches
  /// each in turn (Linux's ready list moves a reported item to its end).
  uint64_t Order;
  bool Used;
};

/// The pipe ends the process's epoll sets hold.
constexpr int MaxWatches = 256;
GateLock WatchLock;
K42_HELD_ACROSS_FORK(WatchLock);
alignas(TableAlign) Watch Watches[MaxWatches];
/// How many are in use: a close with none to forget costs one load.
uint32_t NumWatches;
/// The next Watch::Order.
uint64_t NextOrder;

/// The kick: an eventfd of the personality's own, put in the host's part
/// of every set a pipe end is added to, and written at each EPOLL_CTL_ADD
/// and EPOLL_CTL_MOD of a pipe end. A thread already waiting on the set
/// (in the host's epoll_pwait: a set that had no pipe end when its wait
/// began) wakes, and looks again with the set's pipe ends. Its events are
/// the personality's: taken out of every wait's answer (dropKicks).
constexpr uint64_t KickData = 0x4b34326b69636b21; // "!kcik24K"
int KickFd = -1;

/// Puts the kick in \p Epfd's host set (EEXIST: there already) and
/// writes it. WatchLock held.
void kick(int Epfd) {
  if (KickFd < 0) {
    long Raw = hostCall(SYS_eventfd2, 0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (Raw < 0)
      return; // no kick: a waiter sees the end at its next wait
    long High = FdLimit::copyHigh(Raw, F_DUPFD_CLOEXEC,
                                  KernelConnection::FirstPrivateFd);
    (void)hostCall(SYS_close, Raw);
    if (High < 0)
      return;
    KickFd = int(High);
  }
  // Edge-triggered: each write is one wake-up of each set it is in, and
  // a set is never ready for it between writes.
  epoll_event Event{};
  Event.events = EPOLLIN | EPOLLET;
  Event.data.u64 = KickData;
  (void)hostCall(SYS_epoll_ctl, Epfd, EPOLL_CTL_ADD, KickFd,
                 reinterpret_cast<long>(&Event));
  uint64_t One = 1;
  (void)hostCall(SYS_write, KickFd, reinterpret_cast<long>(&One), sizeof(One));
}

/// Takes the kick's events out of the \p N at \p Events: how many are
/// left; \p Kicked set if there was one.
int dropKicks(epoll_event *Events, int N, bool &Kicked) {
  int Kept = 0;
  for (int I = 0; I < N; ++I) {
    if (Events[I].data.u64 == KickData) {
      Kicked = true;
      continue;
    }
    Events[Kept++] = Events[I];
  }
  return Kept;
}

/// dropKicks of the \p N events the host wrote at the caller's \p User.
long dropUserKicks(long User, long N, bool &Kicked) {
  auto *Events = reinterpret_cast<epoll_event *>(User);
  constexpr long Chunk = 64;
  epoll_event Local[Chunk];
  long Kept = 0;
  for (long At = 0; At < N; At += Chunk) {
    int Here = int(N - At < Chunk ? N - At : Chunk);
    if (UserMemory::copyIn(Local, Events + At,
                           size_t(Here) * sizeof(epoll_event)) < 0)
      return N; // unmapped by another thread meanwhile: as the host left it
    bool Before = Kicked;
    int Left = dropKicks(Local, Here, Kicked);
    if ((Kicked != Before || Kept != At) &&
        UserMemory::copyOut(Events + Kept, Local,
                            size_t(Left) * sizeof(epoll_event)) < 0)
      return N;
    Kept += Left;
  }
  return Kept;
}

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

/// A ready pipe end of a set, to report: its watch's index and events
/// (small: the call may run on a signal handler's alternate stack).
struct Ready {
  uint16_t Index;
  uint16_t Events;
};

/// The ready pipe ends of \p Epfd into \p Out (at most \p Max), those
/// reported least recently first.
int readyPipes(int Epfd, epoll_event *Out, int Max) {
  static_assert(MaxWatches <= 65536, "Ready::Index");
  Ready Found[MaxWatches];
  int NumFound = 0;
  GateLockGuard Guard(WatchLock);
  for (int I = 0; I < MaxWatches; ++I) {
    Watch &W = Watches[I];
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
    if (W.Events & EPOLLET) {
      // Only a new edge: bytes written (or the last writer gone) since
      // the last report for EPOLLIN, bytes read for EPOLLOUT.
      uint64_t In, Out;
      PipeCalls::edges(*End, In, Out);
      bool NewIn = (Got & (POLLIN | POLLHUP)) && In != W.LastIn;
      bool NewOut = (Got & (POLLOUT | POLLERR)) && Out != W.LastOut;
      if (!NewIn && !NewOut)
        continue;
    }
    Found[NumFound++] = Ready{uint16_t(I), uint16_t(Got)};
  }
  // Least recently reported first (insertion sort: a set holds few).
  auto Older = [](const Ready &A, const Ready &B) {
    return Watches[A.Index].Order < Watches[B.Index].Order;
  };
  for (int I = 1; I < NumFound; ++I)
    for (int J = I; J > 0 && Older(Found[J], Found[J - 1]); --J)
      std::swap(Found[J], Found[J - 1]);
  int N = NumFound < Max ? NumFound : Max;
  for (int I = 0; I < N; ++I) {
    Watch &W = Watches[Found[I].Index];
    if (W.Events & EPOLLET)
      if (HeldPipe End(W.Fd); End)
        PipeCalls::edges(*End, W.LastIn, W.LastOut);
    W.Order = ++NextOrder;
    Out[I].events = Found[I].Events;
    Out[I].data.u64 = W.Data;
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
    bool Kicked = false;
    N += dropKicks(Local + N, int(Got), Kicked);
    if (N || Left == 0) {
      if (N && UserMemory::copyOut(reinterpret_cast<void *>(User), Local,
                                   size_t(N) * sizeof(epoll_event)) < 0)
        return -EFAULT;
      return N;
    }
  }
}

/// A wait on a set without pipe ends: the host's, its answer without the
/// kick's events. False with the answer in \p R; true when only a kick
/// woke it (a pipe end was added to the set meanwhile) and time is left
/// (\p TimeoutNs made what is left): the caller waits again with the
/// set's pipe ends.
bool hostWait(SyscallCall &Call, long &TimeoutNs, long &R) {
  long Start = TimeoutNs > 0 ? nowNs() : 0;
  R = passToHost(Call);
  if (R <= 0)
    return false;
  bool Kicked = false;
  R = dropUserKicks(Call.Arg[1], R, Kicked);
  if (R > 0 || !Kicked || TimeoutNs == 0)
    return false;
  if (TimeoutNs > 0) {
    TimeoutNs -= nowNs() - Start;
    if (TimeoutNs <= 0)
      return false; // R is 0: the time ran out
  }
  return true;
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
  // EPOLLEXCLUSIVE (Linux's ep_op_has_event checks): only at EPOLL_CTL_ADD,
  // with nothing but the events it allows.
  constexpr uint32_t ExclusiveOk = EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP |
                                   EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE;
  if (Op != EPOLL_CTL_DEL && (Event.events & EPOLLEXCLUSIVE) &&
      (Op == EPOLL_CTL_MOD || (Event.events & ~ExclusiveOk)))
    return -EINVAL;
  GateLockGuard Guard(WatchLock);
  Watch *W = find(int(Epfd), int(Fd));
  switch (Op) {
  case EPOLL_CTL_ADD: {
    if (W)
      return -EEXIST;
    for (Watch &Free : Watches)
      if (!Free.Used) {
        // The marks are never ~0 in a ring, so EPOLLET reports once now.
        Free = Watch{int(Epfd),    int(Fd),        Event.events, ~uint64_t(0),
                     ~uint64_t(0), Event.data.u64, ++NextOrder,  true};
        ++NumWatches;
        kick(int(Epfd));
        return 0;
      }
    return -ENOSPC;
  }
  case EPOLL_CTL_MOD:
    if (!W)
      return -ENOENT;
    if (W->Events & EPOLLEXCLUSIVE)
      return -EINVAL;
    W->Events = Event.events;
    W->Data = Event.data.u64;
    W->LastIn = W->LastOut = ~uint64_t(0);
    kick(int(Epfd));
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
  int Ms = int(Call.Arg[3]);
  long TimeoutNs = Ms < 0 ? -1 : long(Ms) * 1'000'000;
  if (!holdsPipes(int(Call.Arg[0])))
    if (long R; !hostWait(Call, TimeoutNs, R))
      return R;
  sigset_t Storage;
  const sigset_t *Mask;
  if (long E =
          SigsysState::copyWaitMask(Call.Arg[4], Call.Arg[5], Storage, Mask);
      E < 0)
    return E;
  return waitMixed(Call.Arg[0], Call.Arg[1], Call.Arg[2], TimeoutNs, Mask);
}

long sys::epoll_pwait2(SyscallCall &Call) {
  long TimeoutNs = -1;
  if (Call.Arg[3]) {
    timespec T;
    if (UserMemory::copyIn(&T, reinterpret_cast<void *>(Call.Arg[3]),
                           sizeof(T)) < 0)
      return holdsPipes(int(Call.Arg[0])) ? -EFAULT : passToHost(Call);
    if (T.tv_sec < 0 || T.tv_nsec < 0 || T.tv_nsec >= Billion)
      return holdsPipes(int(Call.Arg[0])) ? -EINVAL : passToHost(Call);
    TimeoutNs = T.tv_sec * Billion + T.tv_nsec;
  }
  if (!holdsPipes(int(Call.Arg[0])))
    if (long R; !hostWait(Call, TimeoutNs, R))
      return R;
  sigset_t Storage;
  const sigset_t *Mask;
  if (long E =
          SigsysState::copyWaitMask(Call.Arg[4], Call.Arg[5], Storage, Mask);
      E < 0)
    return E;
  return waitMixed(Call.Arg[0], Call.Arg[1], Call.Arg[2], TimeoutNs, Mask);
}
