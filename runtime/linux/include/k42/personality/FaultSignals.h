//===- k42/personality/FaultSignals.h - SIGSEGV and SIGBUS ------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// SIGSEGV and SIGBUS belong to the personality, so that a bad pointer a
/// program passes in a system call costs a fault, not a host call per copy:
/// UserMemory copies with k42_user_copy (x86_64/UserCopy.S), and a fault
/// whose pc lies in it resumes at its fixup, which answers how much was not
/// copied (Linux's exception table for copy_to_user). Every other fault, and
/// every SIGSEGV or SIGBUS another process sends, is the program's: the
/// action it set with rt_sigaction is kept here and carried out as Linux
/// would (its handler with the fault's own siginfo and ucontext, on the
/// stack its SA_ONSTACK says; SA_RESETHAND, SA_NODEFER and sa_mask; SIG_DFL
/// and SIG_IGN, including death for a fault the program ignored).
///
/// The kernel kills a process that faults with the signal blocked, whatever
/// the handler. The program's masks stay the host's, so the personality
/// counts the threads that may have SIGSEGV or SIGBUS blocked (it performs
/// every rt_sigprocmask and clone) and copies through the host
/// (process_vm_readv/writev) while any may: a bad pointer is then still
/// EFAULT.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_FAULTSIGNALS_H
#define K42_PERSONALITY_FAULTSIGNALS_H

#include "k42/personality/SigsysState.h"

#include <cstdint>

#include <signal.h>

namespace k42::personality {

/// The personality's SIGSEGV/SIGBUS handler and the program's actions.
class FaultSignals {
public:
  /// The sigset bits of SIGSEGV and SIGBUS.
  static constexpr uint64_t Bits =
      (uint64_t(1) << (SIGSEGV - 1)) | (uint64_t(1) << (SIGBUS - 1));

  /// Takes SIGSEGV and SIGBUS from the host at start-up. What the process
  /// had (SIG_DFL, or SIG_IGN kept across exec) becomes the program's
  /// action, and the start-up mask is counted. 0 or a negated errno.
  static long install();
  /// Whether install() ran: a fault in a user copy is recoverable.
  static bool installed();
  /// Whether \p Signal is SIGSEGV or SIGBUS.
  static bool isFaultSignal(long Signal) {
    return Signal == SIGSEGV || Signal == SIGBUS;
  }

  /// The program's own action for \p Signal (a fault signal).
  static KernelSigaction get(long Signal);
  /// Keeps \p Action as the program's and sets the host's action so that
  /// the personality's handler runs as the program's would (stack, mask,
  /// SA_NODEFER, SA_RESTART). 0 or a negated errno.
  static long set(long Signal, const KernelSigaction &Action);

  /// Whether a thread may now have SIGSEGV or SIGBUS blocked, so that a
  /// fault in a user copy would kill the process.
  static bool mayBeBlocked();
  /// A thread's mask changed from \p Old to \p New (rt_sigprocmask).
  static void maskChanged(uint64_t Old, uint64_t New);
  /// A new thread sharing this memory starts with \p Mask; \p Undo takes
  /// that back when the clone failed.
  static void threadStarting(uint64_t Mask, bool Undo = false);
  /// The program set \p Action for a signal other than SIGSEGV and SIGBUS,
  /// whose handler the host runs without the personality seeing it: from
  /// now on, if its sa_mask blocks SIGSEGV or SIGBUS, its handler may run
  /// with them blocked (not counted). (A handler run from the personality's
  /// is counted while it runs: HandlerMask.)
  static void actionSet(const KernelSigaction &Action);
  /// Counts the calling thread while a program's handler of \p Signal,
  /// called from the personality's handler (this one's, SignalDefer's),
  /// runs under a mask that blocks SIGSEGV or SIGBUS where the interrupted
  /// code's (\p Context's) did not: the host applied the action's sa_mask
  /// (\p ActionMask) and SA_NODEFER (in \p Flags) to it. A siglongjmp out
  /// restores the mask by rt_sigprocmask, which counts the thread out.
  class HandlerMask {
  public:
    HandlerMask(long Signal, const void *Context, uint64_t ActionMask,
                uint64_t Flags);
    ~HandlerMask();
    HandlerMask(const HandlerMask &) = delete;
    HandlerMask &operator=(const HandlerMask &) = delete;

  private:
    bool Counted;
  };
  /// Counts the calling thread while a call's temporary mask (ppoll,
  /// pselect6) is in force, for the handlers that may run under it.
  class TemporaryMask {
  public:
    explicit TemporaryMask(uint64_t Mask) : Mask(Mask) { maskChanged(0, Mask); }
    ~TemporaryMask() { maskChanged(Mask, 0); }
    TemporaryMask(const TemporaryMask &) = delete;
    TemporaryMask &operator=(const TemporaryMask &) = delete;

  private:
    uint64_t Mask;
  };
  /// The child of a fork counts its only thread again.
  static void forked();
  /// In the parent, once a child that ran in this memory (posix_spawn's)
  /// has exec'd or exited: an exec it made set this memory's exec flag,
  /// which its own exec never cleared. The parent's host actions are its
  /// own (the child had a copy), so only the flag goes.
  static void spawnChildDone();
  /// Before a host exec: SIG_IGN is what the new program inherits, so the
  /// host's action becomes the program's SIG_IGN (copies go through the
  /// host until execFailed()).
  static void beforeExec();
  /// The exec failed: the personality's actions again.
  static void execFailed();
};

} // namespace k42::personality

#endif // K42_PERSONALITY_FAULTSIGNALS_H
