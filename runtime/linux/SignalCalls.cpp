//===- runtime/linux/SignalCalls.cpp - SIGSYS stays the personality's -----===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The signal calls the entry side needs to own so that trap reflection
/// keeps working whatever the program does with signals: SIGSYS is never
/// blocked and never handed to the host, and a program's own handlers
/// return through the gate. The rest of the signal state is the host's for
/// now; a later step keeps it all in the process, as the paper does.
///
//===----------------------------------------------------------------------===//

#include "k42/personality/ExecOverlay.h"
#include "k42/personality/FaultSignals.h"
#include "k42/personality/HandlerStack.h"
#include "k42/personality/Handlers.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/SignalDefer.h"
#include "k42/personality/SigsysState.h"
#include "k42/personality/SpawnView.h"
#include "k42/personality/SyscallTable.h"
#include "k42/personality/UserMemory.h"

#include <cerrno>

#include <signal.h>
#include <sys/syscall.h>

using namespace k42::personality;

long sys::rt_sigaction(SyscallCall &Call) {
  long Signal = Call.Arg[0];
  auto *Act = reinterpret_cast<const KernelSigaction *>(Call.Arg[1]);
  auto *Old = reinterpret_cast<KernelSigaction *>(Call.Arg[2]);
  if (Call.Arg[3] != sizeof(uint64_t))
    return -EINVAL;
  // posix_spawn's child, running in its parent's memory, resets every
  // handled signal to SIG_DFL before it execs: the actions kept for
  // SIGSYS, SIGSEGV and SIGBUS are its parent's, and stay as they are (a
  // handler is SIG_DFL after exec anyway). Asked only for those three: it
  // may cost a host getpid.
  auto SpawnChild = [] { return SpawnView::current() != nullptr; };
  if (Signal == SIGSYS) {
    KernelSigaction New;
    if (Act && UserMemory::copyIn(&New, Act, sizeof(New)) < 0)
      return -EFAULT;
    KernelSigaction Previous = SigsysState::get();
    if (Old && UserMemory::copyOut(Old, &Previous, sizeof(Previous)) < 0)
      return -EFAULT;
    if (Act && !SpawnChild())
      SigsysState::set(New);
    return 0;
  }
  if (FaultSignals::isFaultSignal(Signal)) {
    // The personality's handler recovers its copies' faults; the program's
    // action is kept and carried out by it.
    KernelSigaction New;
    if (Act && UserMemory::copyIn(&New, Act, sizeof(New)) < 0)
      return -EFAULT;
    KernelSigaction Previous = FaultSignals::get(Signal);
    if (Old && UserMemory::copyOut(Old, &Previous, sizeof(Previous)) < 0)
      return -EFAULT;
    return Act && !SpawnChild() ? FaultSignals::set(Signal, New) : 0;
  }
  // The host has the personality's handler in place of the program's
  // (SignalDefer.h): the program is answered with its own.
  KernelSigaction Previous;
  auto Answer = [&](const KernelSigaction &Program) -> long {
    SignalDefer::programsView(Previous, Program);
    return Old && UserMemory::copyOut(Old, &Previous, sizeof(Previous)) < 0
               ? -EFAULT
               : 0;
  };
  if (!Act) {
    long Result = hostCall(SYS_rt_sigaction, Signal, 0,
                           reinterpret_cast<long>(&Previous), Call.Arg[3]);
    return Result < 0 ? Result : Answer(SignalDefer::kept(Signal));
  }
  KernelSigaction New;
  if (UserMemory::copyIn(&New, Act, sizeof(New)) < 0)
    return -EFAULT;
  ExecOverlay::actionSet(Signal, New.Handler, New.Flags, New.Mask,
                         New.Restorer);
  // posix_spawn's child resets its parent's handlers in its parent's
  // memory: the actions kept there stay the parent's.
  KernelSigaction Kept = SignalDefer::kept(Signal);
  bool Keep = SpawnView::current() == nullptr;
  // A handler the host runs itself may run with SIGSEGV or SIGBUS blocked
  // for ever after; one run from SignalDefer's is counted while it runs.
  // Both see the mask the program gave (SignalDefer keeps it to answer
  // with); the host's never blocks SIGSYS.
  if (!(Keep && SignalDefer::willSet(Signal, New)))
    FaultSignals::actionSet(New);
  New.Mask &= ~SigsysBit;
  long Result = hostCall(SYS_rt_sigaction, Signal, reinterpret_cast<long>(&New),
                         reinterpret_cast<long>(&Previous), Call.Arg[3]);
  if (Result < 0) {
    if (Keep)
      SignalDefer::undo(Signal, Kept);
    return Result;
  }
  return Answer(Kept);
}

long sys::timer_create(SyscallCall &Call) {
  ExecOverlay::timerMade();
  return passToHost(Call);
}

long sys::rt_sigprocmask(SyscallCall &Call) {
  long How = Call.Arg[0];
  auto *Set = reinterpret_cast<const uint64_t *>(Call.Arg[1]);
  auto *OldSet = reinterpret_cast<uint64_t *>(Call.Arg[2]);
  if (Call.Arg[3] != sizeof(uint64_t))
    return -EINVAL;
  if (!Call.Trap) {
    // A direct call (a patched site of libc, a replaced wrapper) has no
    // trap frame: the host's mask is the one to change, in one call, with
    // SIGSYS taken out of the set it is given, so that it is never blocked,
    // not even between two calls (a trap then would kill the process).
    uint64_t Asked = 0, Before = 0;
    if (Set && UserMemory::copyIn(&Asked, Set, sizeof(Asked)) < 0)
      return -EFAULT;
    if (How == SIG_BLOCK || How == SIG_SETMASK)
      Asked &= ~SigsysBit;
    long Result = hostCall(SYS_rt_sigprocmask, How,
                           Set ? reinterpret_cast<long>(&Asked) : 0,
                           reinterpret_cast<long>(&Before), sizeof(Before));
    if (Result < 0)
      return Result;
    if (Set)
      FaultSignals::maskChanged(Before, How == SIG_BLOCK     ? Before | Asked
                                        : How == SIG_UNBLOCK ? Before & ~Asked
                                                             : Asked);
    if (OldSet && UserMemory::copyOut(OldSet, &Before, sizeof(Before)) < 0)
      return -EFAULT;
    return Result;
  }
  // A trapped call returns through rt_sigreturn, which restores the mask
  // saved in the trap's frame: the frame's mask is the one to change.
  uint64_t &Mask = *reinterpret_cast<uint64_t *>(&Call.Trap->uc_sigmask);
  uint64_t Old = Mask, New = Old;
  if (Set) {
    uint64_t Asked;
    if (UserMemory::copyIn(&Asked, Set, sizeof(Asked)) < 0)
      return -EFAULT;
    switch (How) {
    case SIG_BLOCK:
      New = Old | Asked;
      break;
    case SIG_UNBLOCK:
      New = Old & ~Asked;
      break;
    case SIG_SETMASK:
      New = Asked;
      break;
    default:
      return -EINVAL;
    }
  }
  constexpr uint64_t Unblockable = (uint64_t(1) << (SIGKILL - 1)) |
                                   (uint64_t(1) << (SIGSTOP - 1)) | SigsysBit;
  if (OldSet && UserMemory::copyOut(OldSet, &Old, sizeof(Old)) < 0)
    return -EFAULT;
  Mask = New & ~Unblockable;
  FaultSignals::maskChanged(Old, Mask);
  return 0;
}

long sys::sigaltstack(SyscallCall &Call) {
  long Result = passToHost(Call);
  if (Result < 0 || !Call.Arg[0])
    return Result;
  HandlerStack::alternateStackSet();
  if (!Call.Trap)
    return Result;
  // rt_sigreturn also restores the alternate stack saved in the trap's
  // frame; keep the new one there.
  stack_t Now;
  if (hostCall(SYS_sigaltstack, 0, reinterpret_cast<long>(&Now)) == 0)
    Call.Trap->uc_stack = Now;
  return Result;
}

long sys::rt_sigreturn(SyscallCall &Call) {
  // A program's handler returned through its own restorer, outside the
  // gate. Re-issue the call from the gate with the registers (and so the
  // stack, where the signal frame is) exactly as they were.
  if (!Call.Trap)
    return -EINVAL;
  Call.Trap->uc_mcontext.gregs[REG_RIP] =
      reinterpret_cast<greg_t>(&k42_sigaction_restorer);
  Call.Redirected = true;
  return 0;
}
