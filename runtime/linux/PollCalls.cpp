//===- runtime/linux/PollCalls.cpp - select and poll in the process -------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// poll, ppoll, select and pselect6, computed in the process as K42 did
/// (paper; k42-original section 8): a K42 pipe end's readiness is its
/// ring's state, a K42 file is always ready, and a set of K42 descriptors
/// only sleeps with futex_waitv on their rings' Seq words. Host
/// descriptors are the host's: a set of only those passes through
/// unchanged; a set that mixes both polls the host's with ppoll in slices
/// (0.5 ms doubling to 16 ms) between looks at the K42 ones. A mask that
/// lets in signals the thread blocks is applied atomically by the same
/// slices (pollSet).
///
//===----------------------------------------------------------------------===//

#include "k42/personality/FaultSignals.h"
#include "k42/personality/FdTable.h"
#include "k42/personality/FileDispatch.h"
#include "k42/personality/GateHeap.h"
#include "k42/personality/Handlers.h"
#include "k42/personality/HeldFile.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/PipeCalls.h"
#include "k42/personality/ProgramFds.h"
#include "k42/personality/SignalDefer.h"
#include "k42/personality/SigsysState.h"
#include "k42/personality/SpawnView.h"
#include "k42/personality/SyscallTable.h"
#include "k42/personality/UserMemory.h"

#include <cerrno>
#include <cstring>
#include <ctime>

#include <linux/futex.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/time.h>

using namespace k42::personality;

namespace {

constexpr long Billion = 1'000'000'000;

/// What a descriptor of a set is. Private: one of the personality's own
/// (ProgramFds), which is no descriptor of the program's: POLLNVAL, and
/// select's EBADF, as for a number it does not hold. PathOnly: an O_PATH
/// K42 file, which is no open file (Linux's fdget): poll's POLLNVAL
/// (battery 39: it answered POLLIN), where select, as Linux's, finds it
/// ready as any file.
enum class Kind : uint8_t { Host, Pipe, File, Ignored, Private, PathOnly };

Kind kindOf(int Fd) {
  if (Fd < 0)
    return Kind::Ignored;
  if (PipeCalls::get(Fd))
    return Kind::Pipe;
  SpawnView *V = SpawnView::current(); // a posix_spawn child's own
  if (V ? V->file(Fd) : FdTable::process().get(Fd)) {
    if (HeldFile F(V ? -1 : Fd); F && FileDispatch::pathOnly(*F))
      return Kind::PathOnly;
    return Kind::File;
  }
  if (Fd >= ProgramFds::First && ProgramFds::isPrivate(Fd))
    return Kind::Private;
  return Kind::Host;
}

/// Whether the set must be polled here rather than by the host's call.
bool personalitys(Kind K) {
  return K == Kind::Pipe || K == Kind::File || K == Kind::Private ||
         K == Kind::PathOnly;
}

/// Descriptor \p Fd of a set: its kind, and its pipe end held in \p End
/// (null for any other kind).
Kind kindOf(int Fd, PipeEnd *&End) {
  End = nullptr;
  Kind K = kindOf(Fd);
  if (K == Kind::Pipe && !(End = PipeCalls::hold(Fd)))
    K = Kind::Host; // closed meanwhile: the host's POLLNVAL
  return K;
}

long nowNs() {
  timespec T;
  (void)hostCall(SYS_clock_gettime, CLOCK_MONOTONIC,
                 reinterpret_cast<long>(&T));
  return T.tv_sec * Billion + T.tv_nsec;
}

/// One set being polled: Fds[I] with its kind; Host, the same set with
/// K42 descriptors masked out (fd -1) for the host's ppoll; Ends[I] the
/// pipe end of a Pipe, held for the whole call (another thread's close
/// never unmaps a ring the call sleeps on), let go by releaseEnds().
struct PollSet {
  pollfd *Fds;
  pollfd *Host;
  PipeEnd **Ends;
  Kind *Kinds;
  unsigned long N;
  bool AnyHost;
};

/// A PollSet for \p Count descriptors whose arrays it owns: one block of
/// the heap, off the stack (a thread with a small stack waits in poll and
/// select on its own: HandlerStack's light calls). Fds is null when there
/// is no memory.
struct OwnedSet : PollSet {
  explicit OwnedSet(unsigned long Count) : PollSet{} {
    size_t Each = 2 * sizeof(pollfd) + sizeof(PipeEnd *) + sizeof(Kind);
    char *Memory =
        static_cast<char *>(GateHeap::allocate(Count ? Count * Each : 1));
    if (!Memory)
      return;
    Fds = reinterpret_cast<pollfd *>(Memory);
    Host = Fds + Count;
    Ends = reinterpret_cast<PipeEnd **>(Host + Count);
    Kinds = reinterpret_cast<Kind *>(Ends + Count);
    N = Count;
  }
  ~OwnedSet() { GateHeap::release(Fds); }
  OwnedSet(const OwnedSet &) = delete;
  OwnedSet &operator=(const OwnedSet &) = delete;
};

/// Waits for \p Set: -1 \p TimeoutNs is no limit. The ready count, or a
/// negated errno; the remaining time in \p LeftNs.
long pollSet(PollSet &Set, long TimeoutNs, const sigset_t *Mask, long &LeftNs) {
  // A handler that runs while the call's mask is in force may have
  // SIGSEGV or SIGBUS blocked: the personality's copies must not fault.
  FaultSignals::TemporaryMask Counted(
      Mask ? *reinterpret_cast<const uint64_t *>(Mask) : 0);
  long Deadline = TimeoutNs < 0 ? -1 : nowNs() + TimeoutNs;
  // A handler that ran during the call, SA_RESTART or not, ends it with
  // EINTR before it sleeps (Linux's signal_pending before the schedule).
  uint32_t HandledSince = SignalDefer::handled();
  // An interrupted wait's answer, with the time left as of now (select
  // writes it back: a loop that retries on EINTR with what is left ends
  // at its timeout; with the time left before the sleep it never did,
  // battery 45).
  auto interrupted = [&](long Error) {
    if (Deadline >= 0) {
      long Now = nowNs();
      LeftNs = Deadline > Now ? Deadline - Now : 0;
    }
    return Error;
  };
  long Slice = 500'000;
  constexpr unsigned MaxWords = 128;
  for (;;) {
    // The K42 descriptors' readiness, and the words to sleep on.
    futex_waitv Waits[MaxWords];
    unsigned NumWaits = 0;
    long Ready = 0;
    for (unsigned long I = 0; I < Set.N; ++I) {
      pollfd &P = Set.Fds[I];
      P.revents = 0;
      if (Set.Kinds[I] == Kind::File) {
        P.revents =
            short(P.events & (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM));
      } else if (Set.Kinds[I] == Kind::Private ||
                 Set.Kinds[I] == Kind::PathOnly) {
        P.revents = POLLNVAL;
      } else if (Set.Kinds[I] == Kind::Pipe) {
        std::atomic<uint32_t> *Word = nullptr;
        uint32_t Seen = 0;
        PipeEnd *End = Set.Ends[I];
        // Closed by another thread meanwhile (its close of the last
        // descriptor woke this wait, as Linux's release of the pipe
        // does): POLLNVAL, as Linux's next look at the number finds.
        if (PipeCalls::get(P.fd) != End &&
            hostCall(SYS_fcntl, P.fd, F_GETFD) < 0) {
          P.revents = POLLNVAL;
          ++Ready;
          continue;
        }
        P.revents = PipeCalls::ready(*End, P.events, Word, Seen);
        if (Word && NumWaits < MaxWords) {
          Waits[NumWaits] = {};
          Waits[NumWaits].val = Seen;
          Waits[NumWaits].uaddr = reinterpret_cast<uint64_t>(Word);
          Waits[NumWaits].flags = FUTEX_32;
          ++NumWaits;
        }
      }
      Ready += P.revents != 0;
    }
    long Now = Deadline < 0 ? 0 : nowNs();
    long Left = Deadline < 0 ? -1 : (Deadline > Now ? Deadline - Now : 0);
    LeftNs = Left;
    if (Set.AnyHost) {
      long Wait =
          Ready || Left == 0 ? 0 : (Left < 0 || Left > Slice ? Slice : Left);
      if (Slice < 16'000'000)
        Slice *= 2;
      timespec T{Wait / Billion, Wait % Billion};
      long Got = hostCall(SYS_ppoll, reinterpret_cast<long>(Set.Host),
                          long(Set.N), reinterpret_cast<long>(&T),
                          reinterpret_cast<long>(Mask), Mask ? 8 : 0);
      if (Got < 0)
        return interrupted(Got);
      for (unsigned long I = 0; I < Set.N; ++I)
        if (Set.Kinds[I] == Kind::Host) {
          Set.Fds[I].revents = Set.Host[I].revents;
          Ready += Set.Host[I].revents != 0;
        }
      if (Ready || Left == 0)
        return Ready;
      continue;
    }
    if (Ready || Left == 0)
      return Ready;
    if (NumWaits == 0) {
      // Nothing that can change: sleep out the time (pause if none).
      timespec T{Left / Billion, Left % Billion};
      long Got =
          hostCall(SYS_ppoll, 0, 0, Left < 0 ? 0 : reinterpret_cast<long>(&T),
                   reinterpret_cast<long>(Mask), Mask ? 8 : 0);
      if (Got < 0)
        return interrupted(Got);
      continue;
    }
    // The call's mask is not set with the futex wait in one step. A
    // signal it lets in that the thread blocks (make's SIGCHLD, pending
    // since before pselect) would have its handler run between the two,
    // and the wait would then sleep on: pselect's whole point lost. So
    // such signals stay blocked while the futex waits, a slice at a time,
    // and are let in between slices by a ppoll of nothing with the call's
    // mask, which runs their handlers and is EINTR, as Linux's wait is.
    sigset_t Old;
    long Until = Deadline;
    if (Mask) {
      (void)hostCall(SYS_rt_sigprocmask, SIG_BLOCK, 0,
                     reinterpret_cast<long>(&Old), 8);
      uint64_t Call, Held;
      std::memcpy(&Call, Mask, 8);
      std::memcpy(&Held, &Old, 8);
      uint64_t Opens = Held & ~Call & ~SigsysBit;
      if (Opens) {
        timespec Zero{0, 0};
        if (hostCall(SYS_ppoll, 0, 0, reinterpret_cast<long>(&Zero),
                     reinterpret_cast<long>(Mask), 8) == -EINTR)
          return interrupted(-EINTR);
        long SliceEnd = nowNs() + Slice;
        if (Until < 0 || SliceEnd < Until)
          Until = SliceEnd;
        if (Slice < 16'000'000)
          Slice *= 2;
      }
      uint64_t During = Call | Opens;
      (void)hostCall(SYS_rt_sigprocmask, SIG_SETMASK,
                     reinterpret_cast<long>(&During), 0, 8);
    }
    // Only the pipe server ends a wait for a side that is gone: the
    // wait looks whether it lives now and then.
    long Check = nowNs() + PipeCalls::ServerCheckNs;
    bool Checks = Until < 0 || Check < Until;
    if (Checks)
      Until = Check;
    for (unsigned long I = 0; I < Set.N; ++I)
      if (Set.Kinds[I] == Kind::Pipe)
        PipeCalls::sleeping(*Set.Ends[I], true);
    timespec At{Until / Billion, Until % Billion};
    long Got = -EINTR;
    if (SignalDefer::handled() == HandledSince) {
      SignalDefer::PollWait Marked;
      Got = hostCall(SYS_futex_waitv, reinterpret_cast<long>(Waits), NumWaits,
                     0, Until < 0 ? 0 : reinterpret_cast<long>(&At),
                     CLOCK_MONOTONIC);
    }
    for (unsigned long I = 0; I < Set.N; ++I)
      if (Set.Kinds[I] == Kind::Pipe)
        PipeCalls::sleeping(*Set.Ends[I], false);
    if (Mask)
      (void)hostCall(SYS_rt_sigprocmask, SIG_SETMASK,
                     reinterpret_cast<long>(&Old), 0, 8);
    if (Got == -EINTR)
      return interrupted(-EINTR);
    if (Got == -ETIMEDOUT && Checks)
      for (unsigned long I = 0; I < Set.N; ++I)
        if (Set.Kinds[I] == Kind::Pipe)
          (void)PipeCalls::serverLost(*Set.Ends[I]);
  }
}

/// Lets go of the pipe ends the first \p N entries of \p Set hold.
void releaseEnds(PollSet &Set, unsigned long N) {
  for (unsigned long I = 0; I < N; ++I)
    if (Set.Ends[I])
      PipeCalls::release(Set.Ends[I]);
}

/// poll and ppoll: \p TimeoutNs -1 for none.
long doPoll(SyscallCall &Call, long User, unsigned long N, long TimeoutNs,
            const sigset_t *Mask, long &LeftNs) {
  rlimit Limit;
  if (hostCall(SYS_prlimit64, 0, RLIMIT_NOFILE, 0,
               reinterpret_cast<long>(&Limit)) == 0 &&
      N > Limit.rlim_cur)
    return -EINVAL;
  OwnedSet Set(N);
  if (!Set.Fds)
    return -ENOMEM;
  long Result = 0;
  if (N && UserMemory::copyIn(Set.Fds, reinterpret_cast<void *>(User),
                              N * sizeof(pollfd)) < 0)
    Result = -EFAULT;
  bool K42 = false;
  unsigned long Held = 0;
  for (unsigned long I = 0; Result == 0 && I < N; ++I, Held = I) {
    Set.Kinds[I] = kindOf(Set.Fds[I].fd, Set.Ends[I]);
    Set.Host[I] = Set.Fds[I];
    if (Set.Kinds[I] == Kind::Host)
      Set.AnyHost = true;
    else
      Set.Host[I].fd = -1;
    K42 |= personalitys(Set.Kinds[I]);
  }
  if (Result == 0 && !K42) {
    releaseEnds(Set, Held);
    LeftNs = -2; // not ours: the host's answer, remaining time included
    return passToHost(Call);
  }
  if (Result == 0)
    Result = pollSet(Set, TimeoutNs, Mask, LeftNs);
  if (Result >= 0)
    for (unsigned long I = 0; I < N; ++I)
      if (UserMemory::copyOut(&reinterpret_cast<pollfd *>(User)[I].revents,
                              &Set.Fds[I].revents, sizeof(short)) < 0) {
        Result = -EFAULT;
        break;
      }
  releaseEnds(Set, Held);
  return Result;
}

long readTimespec(long User, long &Ns) {
  Ns = -1;
  if (!User)
    return 0;
  timespec T;
  if (UserMemory::copyIn(&T, reinterpret_cast<void *>(User), sizeof(T)) < 0)
    return -EFAULT;
  if (T.tv_sec < 0 || T.tv_nsec < 0 || T.tv_nsec >= Billion)
    return -EINVAL;
  Ns = T.tv_sec > (LONG_MAX / Billion - 1) ? LONG_MAX / 2
                                           : T.tv_sec * Billion + T.tv_nsec;
  return 0;
}

/// select and pselect6 over a pollfd set, as Linux maps them.
constexpr short InSet = POLLIN | POLLRDNORM | POLLRDBAND | POLLHUP | POLLERR;
constexpr short OutSet = POLLOUT | POLLWRNORM | POLLWRBAND | POLLERR;
constexpr short ExSet = POLLPRI;

long doSelect(SyscallCall &Call, long Nfds, long In, long Out, long Ex,
              long TimeoutNs, const sigset_t *Mask, long &LeftNs) {
  if (Nfds < 0)
    return -EINVAL;
  constexpr long Max = FdTable::ChunkFds; // FD_SETSIZE: glibc's fd_set
  if (Nfds > Max)
    Nfds = Max;
  constexpr size_t Words = Max / 64;
  uint64_t Sets[3][Words] = {};
  long Users[3] = {In, Out, Ex};
  size_t Bytes = size_t((Nfds + 63) / 64) * 8;
  for (int S = 0; S < 3; ++S)
    if (Users[S] && Bytes &&
        UserMemory::copyIn(Sets[S], reinterpret_cast<void *>(Users[S]), Bytes) <
            0)
      return -EFAULT;
  // Bits past Nfds in the last word are not the caller's.
  if (Nfds % 64)
    for (int S = 0; S < 3; ++S)
      Sets[S][Nfds / 64] &= (uint64_t(1) << (Nfds % 64)) - 1;
  bool K42 = false;
  unsigned long N = 0;
  for (long Fd = 0; Fd < Nfds; ++Fd) {
    uint64_t Bit = uint64_t(1) << (Fd % 64);
    if ((Sets[0][Fd / 64] | Sets[1][Fd / 64] | Sets[2][Fd / 64]) & Bit) {
      ++N;
      K42 |= personalitys(kindOf(int(Fd)));
    }
  }
  if (!K42) {
    LeftNs = -2;
    return passToHost(Call);
  }
  OwnedSet Set(N);
  if (!Set.Fds)
    return -ENOMEM;
  pollfd *Fds = Set.Fds, *Host = Set.Host;
  PipeEnd **Ends = Set.Ends;
  Kind *Kinds = Set.Kinds;
  unsigned long I = 0;
  for (long Fd = 0; Fd < Nfds; ++Fd) {
    uint64_t Bit = uint64_t(1) << (Fd % 64);
    short Events = 0;
    if (Sets[0][Fd / 64] & Bit)
      Events |= POLLIN;
    if (Sets[1][Fd / 64] & Bit)
      Events |= POLLOUT;
    if (Sets[2][Fd / 64] & Bit)
      Events |= POLLPRI;
    if (!Events)
      continue;
    Fds[I] = {int(Fd), Events, 0};
    Kinds[I] = kindOf(int(Fd), Ends[I]);
    if (Kinds[I] == Kind::PathOnly)
      Kinds[I] = Kind::File; // select finds it ready, as Linux's does
    Host[I] = Fds[I];
    if (Kinds[I] == Kind::Host)
      Set.AnyHost = true;
    else
      Host[I].fd = -1;
    ++I;
  }
  long Got = pollSet(Set, TimeoutNs, Mask, LeftNs);
  releaseEnds(Set, I);
  if (Got < 0)
    return Got;
  uint64_t Result[3][Words] = {};
  long Count = 0;
  for (I = 0; I < N; ++I) {
    if (Fds[I].revents & POLLNVAL)
      return -EBADF;
    long Fd = Fds[I].fd;
    uint64_t Bit = uint64_t(1) << (Fd % 64);
    short R = Fds[I].revents;
    short Asked[3] = {InSet, OutSet, ExSet};
    for (int S = 0; S < 3; ++S)
      if ((Sets[S][Fd / 64] & Bit) && (R & Asked[S])) {
        Result[S][Fd / 64] |= Bit;
        ++Count;
      }
  }
  for (int S = 0; S < 3; ++S)
    if (Users[S] && Bytes &&
        UserMemory::copyOut(reinterpret_cast<void *>(Users[S]), Result[S],
                            Bytes) < 0)
      return -EFAULT;
  return Count;
}

} // namespace

long sys::poll(SyscallCall &Call) {
  long Left;
  int Ms = int(Call.Arg[2]);
  return doPoll(
      Call, Call.Arg[0],
      static_cast<unsigned long>(static_cast<unsigned int>(Call.Arg[1])),
      Ms < 0 ? -1 : long(Ms) * 1'000'000, nullptr, Left);
}

long sys::ppoll(SyscallCall &Call) {
  long TimeoutNs;
  if (long E = readTimespec(Call.Arg[2], TimeoutNs); E < 0)
    return E;
  sigset_t Storage;
  const sigset_t *Mask;
  if (long E =
          SigsysState::copyWaitMask(Call.Arg[3], Call.Arg[4], Storage, Mask);
      E < 0)
    return E;
  long Left = -1;
  long Got =
      doPoll(Call, Call.Arg[0],
             static_cast<unsigned long>(static_cast<unsigned int>(Call.Arg[1])),
             TimeoutNs, Mask, Left);
  if (Left >= 0 && TimeoutNs > 0) {
    timespec T{Left / Billion, Left % Billion};
    (void)UserMemory::copyOut(reinterpret_cast<void *>(Call.Arg[2]), &T,
                              sizeof(T));
  }
  return Got;
}

long sys::select(SyscallCall &Call) {
  long TimeoutNs = -1;
  if (long User = Call.Arg[4]) {
    timeval T;
    if (UserMemory::copyIn(&T, reinterpret_cast<void *>(User), sizeof(T)) < 0)
      return -EFAULT;
    if (T.tv_sec < 0 || T.tv_usec < 0)
      return -EINVAL;
    // Linux normalises excess microseconds rather than refusing them.
    TimeoutNs = T.tv_sec > (LONG_MAX / Billion - 1)
                    ? LONG_MAX / 2
                    : T.tv_sec * Billion + T.tv_usec * 1000;
  }
  long Left = -1;
  long Got = doSelect(Call, Call.Arg[0], Call.Arg[1], Call.Arg[2], Call.Arg[3],
                      TimeoutNs, nullptr, Left);
  if (Left >= 0 && TimeoutNs > 0) {
    timeval T{Left / Billion, (Left % Billion) / 1000};
    (void)UserMemory::copyOut(reinterpret_cast<void *>(Call.Arg[4]), &T,
                              sizeof(T));
  }
  return Got;
}

long sys::pselect6(SyscallCall &Call) {
  long TimeoutNs;
  if (long E = readTimespec(Call.Arg[4], TimeoutNs); E < 0)
    return E;
  // The sixth argument: { const sigset_t *ss; size_t ss_len; }.
  sigset_t Storage;
  const sigset_t *Mask = nullptr;
  if (long User = Call.Arg[5]) {
    long Pair[2];
    if (UserMemory::copyIn(Pair, reinterpret_cast<void *>(User), sizeof(Pair)) <
        0)
      return -EFAULT;
    if (long E = SigsysState::copyWaitMask(Pair[0], Pair[1], Storage, Mask);
        E < 0)
      return E;
  }
  long Left = -1;
  long Got = doSelect(Call, Call.Arg[0], Call.Arg[1], Call.Arg[2], Call.Arg[3],
                      TimeoutNs, Mask, Left);
  if (Left >= 0 && TimeoutNs > 0) {
    timespec T{Left / Billion, Left % Billion};
    (void)UserMemory::copyOut(reinterpret_cast<void *>(Call.Arg[4]), &T,
                              sizeof(T));
  }
  return Got;
}
