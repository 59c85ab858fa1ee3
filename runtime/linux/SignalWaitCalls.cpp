//===- runtime/linux/SignalWaitCalls.cpp - Waiting for signals ------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// rt_sigsuspend, pause, rt_sigtimedwait and rt_sigpending. The waits are
/// the host's (a signal another process sends through the Linux process
/// server is a host signal, and its handler runs as natively), but the
/// personality's own signals stay right: SIGSYS is never blocked by a
/// wait's mask, never waited for and never reported pending; a wait's
/// temporary mask is counted for FaultSignals as rt_sigprocmask's are (a
/// handler running under it may have SIGSEGV blocked); and a SIGSEGV or
/// SIGBUS the program ignores is kept blocked through the wait, since the
/// personality's handler that drops it would otherwise end the wait where
/// Linux discards the signal. A trapped call's own mask is the trap
/// frame's: the wait's mask is in force only while the host call lasts,
/// and the frame's is what the trap returns to.
///
//===----------------------------------------------------------------------===//

#include "k42/personality/FaultSignals.h"
#include "k42/personality/Handlers.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/SigsysState.h"
#include "k42/personality/UserMemory.h"

#include <cerrno>
#include <cstdint>
#include <initializer_list>

#include <signal.h>
#include <sys/syscall.h>

using namespace k42::personality;

namespace {

/// What no mask can block (Linux drops SIGKILL and SIGSTOP; SIGSYS is the
/// personality's).
constexpr uint64_t Unblockable =
    (uint64_t(1) << (SIGKILL - 1)) | (uint64_t(1) << (SIGSTOP - 1)) | SigsysBit;

/// The calling thread's mask: a trapped call's is its frame's (the mask
/// the trap returns to, equal to the host's while the handler runs), a
/// direct call's the host's.
uint64_t currentMask(const SyscallCall &Call) {
  if (Call.Trap)
    return *reinterpret_cast<const uint64_t *>(&Call.Trap->uc_sigmask);
  uint64_t Mask = 0;
  (void)hostCall(SYS_rt_sigprocmask, SIG_BLOCK, 0,
                 reinterpret_cast<long>(&Mask), sizeof(Mask));
  return Mask;
}

/// SIGSEGV and SIGBUS where the program's action is SIG_IGN. Linux
/// discards such a signal sent to an unblocking thread; here the
/// personality's handler takes it and drops it, which would end a wait.
uint64_t ignoredFaultSignals() {
  uint64_t Bits = 0;
  for (long Signal : {SIGSEGV, SIGBUS})
    if (FaultSignals::get(Signal).Handler ==
        reinterpret_cast<uint64_t>(SIG_IGN))
      Bits |= uint64_t(1) << (Signal - 1);
  return Bits;
}

/// Waits for a handler under \p Mask, as rt_sigsuspend.
long suspend(const SyscallCall &Call, uint64_t Mask) {
  uint64_t Now = currentMask(Call);
  Mask = (Mask | (ignoredFaultSignals() & ~Now)) & ~Unblockable;
  FaultSignals::maskChanged(Now, Mask);
  long Result =
      hostCall(SYS_rt_sigsuspend, reinterpret_cast<long>(&Mask), sizeof(Mask));
  FaultSignals::maskChanged(Mask, Now);
  return Result;
}

} // namespace

long sys::rt_sigsuspend(SyscallCall &Call) {
  if (Call.Arg[1] != sizeof(uint64_t))
    return -EINVAL;
  uint64_t Mask;
  if (UserMemory::copyIn(&Mask, reinterpret_cast<const void *>(Call.Arg[0]),
                         sizeof(Mask)) < 0)
    return -EFAULT;
  return suspend(Call, Mask);
}

long sys::pause(SyscallCall &Call) { return suspend(Call, currentMask(Call)); }

long sys::rt_sigtimedwait(SyscallCall &Call) {
  if (Call.Arg[3] != sizeof(uint64_t))
    return -EINVAL;
  uint64_t Set;
  if (UserMemory::copyIn(&Set, reinterpret_cast<const void *>(Call.Arg[0]),
                         sizeof(Set)) < 0)
    return -EFAULT;
  // SIGSYS is never the program's to take. An ignored fault signal the
  // thread does not block is discarded by Linux: blocked for the wait (and
  // not waited for), it stays pending and is dropped once unblocked.
  uint64_t Now = 0, Extra = 0;
  if (uint64_t Ignored = ignoredFaultSignals()) {
    Now = currentMask(Call);
    Extra = Ignored & ~Now;
  }
  Set &= ~(SigsysBit | Extra);
  if (Extra)
    (void)hostCall(SYS_rt_sigprocmask, SIG_BLOCK,
                   reinterpret_cast<long>(&Extra), 0, sizeof(Extra));
  long Result = hostCall(SYS_rt_sigtimedwait, reinterpret_cast<long>(&Set),
                         Call.Arg[1], Call.Arg[2], sizeof(Set));
  if (Extra)
    (void)hostCall(SYS_rt_sigprocmask, SIG_UNBLOCK,
                   reinterpret_cast<long>(&Extra), 0, sizeof(Extra));
  return Result;
}

long sys::rt_sigpending(SyscallCall &Call) {
  unsigned long Size = static_cast<unsigned long>(Call.Arg[1]);
  if (Size > sizeof(uint64_t))
    return -EINVAL;
  uint64_t Pending = 0;
  if (long E = hostCall(SYS_rt_sigpending, reinterpret_cast<long>(&Pending),
                        sizeof(Pending));
      E < 0)
    return E;
  Pending &= ~SigsysBit;
  if (Size && UserMemory::copyOut(reinterpret_cast<void *>(Call.Arg[0]),
                                  &Pending, Size) < 0)
    return -EFAULT;
  return 0;
}
