//===- runtime/linux/SignalDefer.cpp - Handlers after the locks -----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/SignalDefer.h"

#include "k42/personality/FaultSignals.h"
#include "k42/personality/GateLock.h"
#include "k42/personality/HandlerStack.h"
#include "k42/personality/HostCall.h"

#include <atomic>
#include <cerrno>
#include <cstdint>

#include <signal.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <ucontext.h>

using namespace k42::personality;

namespace {

/// HWCAP2_FSGSBASE: rdfsbase may be used in user mode.
constexpr unsigned long FsGsBase = 1ul << 1;
constexpr int MaxSignal = 64;

/// The program's handler of one signal and its flags.
struct ProgramAction {
  std::atomic<uint64_t> Handler{0};
  std::atomic<uint64_t> Flags{0};
  /// Its sa_mask as the program gave it (SIGSYS included if it asked):
  /// while the handler runs, user copies may not fault if it blocks
  /// SIGSEGV or SIGBUS (FaultSignals::HandlerMask); and what the program
  /// reads back (the host's has no SIGSYS).
  std::atomic<uint64_t> Mask{0};
  /// Its sa_restorer, where the host has the personality's.
  std::atomic<uint64_t> Restorer{0};
};

/// SA_RESTORER, which glibc's public headers do not name.
constexpr uint64_t SaRestorer = 0x04000000;
ProgramAction Actions[MaxSignal + 1];
bool On = false;

/// A thread whose signals wait for its locks, and which they are.
struct Waiting {
  std::atomic<uint64_t> Thread{0};
  std::atomic<uint64_t> Signals{0};
};
constexpr int MaxWaiting = 32;
Waiting Threads[MaxWaiting];

/// Handlers without SA_RESTART run, by thread (its %fs base hashed: two
/// threads that share a counter may see an interruption of the other's).
constexpr size_t NumInterrupts = 256;
std::atomic<uint32_t> Interrupts[NumInterrupts];

/// Handlers of every kind run, by thread, hashed the same way.
std::atomic<uint32_t> Handled[NumInterrupts];

size_t threadSlot(uint64_t Thread) {
  return size_t((Thread >> 6) * 0x9e3779b97f4a7c15ull >> 56) % NumInterrupts;
}

/// The threads in a PollWait, by slot (a thread's own value: two that
/// share a slot and wait at once leave the first's wait unmarked).
std::atomic<uint64_t> PollWaiters[NumInterrupts];

/// A handler with SA_RESTART runs on thread \p Me, interrupted at
/// \p Context: if that is the thread's marked futex wait, which the host
/// is about to restart (its pc back on the `syscall`, rax the call's
/// number again), the wait returns EINTR instead.
void endPollWait(uint64_t Me, void *Context) {
  if (PollWaiters[threadSlot(Me)].load(std::memory_order_relaxed) != Me)
    return;
  mcontext_t &M = static_cast<ucontext_t *>(Context)->uc_mcontext;
  const auto *At = reinterpret_cast<const uint8_t *>(M.gregs[REG_RIP]);
  if (M.gregs[REG_RAX] != SYS_futex_waitv || At[0] != 0x0f || At[1] != 0x05)
    return;
  M.gregs[REG_RAX] = -EINTR;
  M.gregs[REG_RIP] += 2;
}

uint64_t bit(long Signal) { return uint64_t(1) << (Signal - 1); }

bool isHandler(uint64_t Handler) {
  return Handler != reinterpret_cast<uint64_t>(SIG_DFL) &&
         Handler != reinterpret_cast<uint64_t>(SIG_IGN);
}

/// Whether the host gets the personality's handler for \p Action.
bool wraps(long Signal, const KernelSigaction &Action) {
  switch (Signal) {
  case SIGKILL:
  case SIGSTOP:
  case SIGSYS:
  case SIGSEGV:
  case SIGBUS:
  case SIGILL:
  case SIGFPE:
  case SIGTRAP:
    return false;
  default:
    return isHandler(Action.Handler) && !(Action.Flags & SA_RESETHAND);
  }
}

/// Adds \p Signal to thread \p Me's waiting ones; false with no room.
bool keepWaiting(uint64_t Me, long Signal) {
  for (Waiting &W : Threads)
    if (W.Thread.load(std::memory_order_acquire) == Me) {
      W.Signals.fetch_or(bit(Signal));
      return true;
    }
  for (Waiting &W : Threads) {
    uint64_t Free = 0;
    if (W.Thread.compare_exchange_strong(Free, Me)) {
      W.Signals.fetch_or(bit(Signal));
      GateLock::deferred().fetch_add(1);
      return true;
    }
  }
  return false;
}

/// Takes thread \p Me's waiting signals (0: none).
uint64_t takeWaiting(uint64_t Me) {
  for (Waiting &W : Threads)
    if (W.Thread.load(std::memory_order_acquire) == Me) {
      uint64_t Signals = W.Signals.exchange(0);
      W.Thread.store(0, std::memory_order_release);
      GateLock::deferred().fetch_sub(1);
      return Signals;
    }
  return 0;
}

/// After a lock was let go of while some thread has signals waiting: the
/// calling thread's are unblocked once it holds none of the locks, and
/// the host delivers them on the way out of this call.
void afterRelease() {
  uint64_t Me = GateLock::thisThread();
  if (!Me || GateLock::heldByThisThread())
    return;
  if (uint64_t Signals = takeWaiting(Me))
    (void)hostCall(SYS_rt_sigprocmask, SIG_UNBLOCK,
                   reinterpret_cast<long>(&Signals), 0, sizeof(Signals));
}

/// Queues \p Signal again to the calling thread with \p Info.
long queueAgain(long Signal, siginfo_t *Info) {
  return hostCall(SYS_rt_tgsigqueueinfo, hostCall(SYS_getpid),
                  hostCall(SYS_gettid), Signal, reinterpret_cast<long>(Info));
}

/// Whether \p Signal was made to wait for the calling thread's locks:
/// blocked now and in \p Context (so it stays blocked when this handler
/// returns), queued again with its \p Info, and noted for afterRelease().
bool deferred(long Signal, siginfo_t *Info, ucontext_t *Context) {
  uint64_t Me = GateLock::thisThread();
  if (!Me || !GateLock::heldByThisThread() || !keepWaiting(Me, Signal))
    return false;
  // Blocked before it is queued: an SA_NODEFER handler's would otherwise
  // come straight back here.
  uint64_t Bit = bit(Signal), Before = 0;
  (void)hostCall(SYS_rt_sigprocmask, SIG_BLOCK, reinterpret_cast<long>(&Bit),
                 reinterpret_cast<long>(&Before), sizeof(Bit));
  if (queueAgain(Signal, Info) < 0) {
    // Cannot wait (a full real-time queue): the handler runs now, as it
    // did before deferral.
    (void)hostCall(SYS_rt_sigprocmask, SIG_SETMASK,
                   reinterpret_cast<long>(&Before), 0, sizeof(Before));
    return false;
  }
  *reinterpret_cast<uint64_t *>(&Context->uc_sigmask) |= Bit;
  return true;
}

/// The host's handler of every wrapped signal.
void onSignal(int Signal, siginfo_t *Info, void *Context) {
  if (deferred(Signal, Info, static_cast<ucontext_t *>(Context)))
    return;
  ProgramAction &A = Actions[Signal];
  uint64_t Handler = A.Handler.load(std::memory_order_acquire);
  uint64_t Flags = A.Flags.load(std::memory_order_relaxed);
  if (Handler == reinterpret_cast<uint64_t>(SIG_IGN))
    return;
  if (Handler == reinterpret_cast<uint64_t>(SIG_DFL)) {
    // The program has just set SIG_DFL, and the host is about to: the
    // signal gets that action.
    KernelSigaction Default;
    (void)hostCall(SYS_rt_sigaction, Signal, reinterpret_cast<long>(&Default),
                   0, sizeof(Default.Mask));
    (void)queueAgain(Signal, Info);
    return;
  }
  if (uint64_t Me = GateLock::thisThread()) {
    Handled[threadSlot(Me)].fetch_add(1, std::memory_order_relaxed);
    if (!(Flags & SA_RESTART))
      Interrupts[threadSlot(Me)].fetch_add(1, std::memory_order_relaxed);
    else
      endPollWait(Me, Context);
  }
  // dash gives its handlers a full sa_mask: only while one runs do the
  // shell's calls copy through the host, where every copy of its life did.
  FaultSignals::HandlerMask Counted(
      Signal, Context, A.Mask.load(std::memory_order_relaxed), Flags);
  struct Invocation {
    uint64_t Handler;
    uint64_t Flags;
    int Signal;
    siginfo_t *Info;
    void *Context;
  } I{Handler, Flags, Signal, Info, Context};
  HandlerStack::runHandler(
      [](void *Arg) {
        auto *I = static_cast<Invocation *>(Arg);
        if (I->Flags & SA_SIGINFO)
          reinterpret_cast<void (*)(int, siginfo_t *, void *)>(I->Handler)(
              I->Signal, I->Info, I->Context);
        else
          reinterpret_cast<void (*)(int)>(I->Handler)(I->Signal);
      },
      &I);
}

} // namespace

void SignalDefer::start() {
  if (!(getauxval(AT_HWCAP2) & FsGsBase))
    return;
  GateLock::countHolders(afterRelease);
  On = true;
}

bool SignalDefer::willSet(long Signal, KernelSigaction &Action) {
  if (!On || Signal < 1 || Signal > MaxSignal)
    return false;
  ProgramAction &A = Actions[Signal];
  // Kept before the host has it: a signal that comes between finds the
  // action the program has just set.
  A.Flags.store(Action.Flags, std::memory_order_relaxed);
  A.Mask.store(Action.Mask, std::memory_order_relaxed);
  A.Restorer.store(Action.Restorer, std::memory_order_relaxed);
  A.Handler.store(Action.Handler, std::memory_order_release);
  if (!wraps(Signal, Action))
    return false;
  Action.Handler = reinterpret_cast<uint64_t>(&onSignal);
  Action.Flags |= SA_SIGINFO;
  // The return through the gate's restorer (glibc's bytes), not the
  // program's: that one's rt_sigreturn was trapped, a SIGSYS frame more
  // (3-4 KiB) on the handler's stack, which a small alternate stack did
  // not have (a handler doing nothing on 6 KiB was killed; battery 42).
  Action.Flags |= SaRestorer;
  Action.Restorer = reinterpret_cast<uint64_t>(&k42_sigaction_restorer);
  return true;
}

void SignalDefer::undo(long Signal, const KernelSigaction &Previous) {
  if (!On || Signal < 1 || Signal > MaxSignal)
    return;
  Actions[Signal].Flags.store(Previous.Flags, std::memory_order_relaxed);
  Actions[Signal].Mask.store(Previous.Mask, std::memory_order_relaxed);
  Actions[Signal].Restorer.store(Previous.Restorer, std::memory_order_relaxed);
  Actions[Signal].Handler.store(Previous.Handler, std::memory_order_release);
}

uint32_t SignalDefer::interrupts() {
  uint64_t Me = On ? GateLock::thisThread() : 0;
  return Me ? Interrupts[threadSlot(Me)].load(std::memory_order_relaxed) : 0;
}

SignalDefer::PollWait::PollWait() : Me(On ? GateLock::thisThread() : 0) {
  if (Me)
    PollWaiters[threadSlot(Me)].store(Me, std::memory_order_relaxed);
}

SignalDefer::PollWait::~PollWait() {
  if (Me)
    PollWaiters[threadSlot(Me)].store(0, std::memory_order_relaxed);
}

uint32_t SignalDefer::handled() {
  uint64_t Me = On ? GateLock::thisThread() : 0;
  return Me ? Handled[threadSlot(Me)].load(std::memory_order_relaxed) : 0;
}

KernelSigaction SignalDefer::kept(long Signal) {
  KernelSigaction Kept;
  if (Signal >= 1 && Signal <= MaxSignal) {
    Kept.Handler = Actions[Signal].Handler.load(std::memory_order_acquire);
    Kept.Flags = Actions[Signal].Flags.load(std::memory_order_relaxed);
    Kept.Mask = Actions[Signal].Mask.load(std::memory_order_relaxed);
    Kept.Restorer = Actions[Signal].Restorer.load(std::memory_order_relaxed);
  }
  return Kept;
}

void SignalDefer::programsView(KernelSigaction &Host,
                               const KernelSigaction &Program) {
  if (Host.Handler == reinterpret_cast<uint64_t>(&onSignal)) {
    Host.Handler = Program.Handler;
    Host.Flags = Program.Flags;
    Host.Restorer = Program.Restorer;
  }
  // The mask as the program gave it: the host's lacks SIGSYS (valgrind
  // sets every action with a full mask and asserts it reads one back).
  // Less SIGKILL and SIGSTOP, which the kernel takes out of every mask.
  constexpr uint64_t KillStop = (uint64_t(1) << (SIGKILL - 1)) |
                                (uint64_t(1) << (SIGSTOP - 1));
  if (On && Host.Handler == Program.Handler)
    Host.Mask = Program.Mask & ~KillStop;
}

void SignalDefer::forked() {
  // The other threads' entries are of threads this process does not
  // have; the forking thread's signals were queued to the parent's
  // thread, not to this one, and are only unblocked.
  uint64_t Me = GateLock::thisThread();
  uint64_t Mine = 0;
  for (Waiting &W : Threads) {
    uint64_t Thread = W.Thread.load(std::memory_order_relaxed);
    if (!Thread)
      continue;
    if (Thread == Me)
      Mine |= W.Signals.load(std::memory_order_relaxed);
    W.Signals.store(0, std::memory_order_relaxed);
    W.Thread.store(0, std::memory_order_relaxed);
    GateLock::deferred().fetch_sub(1);
  }
  if (Mine)
    (void)hostCall(SYS_rt_sigprocmask, SIG_UNBLOCK,
                   reinterpret_cast<long>(&Mine), 0, sizeof(Mine));
}
