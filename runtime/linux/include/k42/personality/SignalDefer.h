//===- k42/personality/SignalDefer.h - Handlers after the locks -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A program's signal handler may make the calls POSIX calls
/// async-signal-safe (open, write, close...), and under the personality
/// those are K42 calls. A handler that ran while its thread was inside a
/// K42 call holding one of the personality's locks (the path bridge's,
/// held across its server call) waited for that lock for ever (battery 27:
/// a SIGUSR1 handler appending to a file in K42's /tmp, every run).
///
/// So the host runs the personality's handler in place of the program's
/// (rt_sigaction installs it; the program still sees its own action). When
/// the thread holds none of the personality's locks (GateLock counts each
/// thread's, the process's own and those in memory shared with other
/// processes, such as a description's), it calls the program's handler
/// with the same signal, siginfo and context. When the thread holds one,
/// the signal waits: blocked in the interrupted context,
/// queued again to the thread with its siginfo (rt_tgsigqueueinfo), and
/// unblocked when the thread lets go of its last lock (GateLock::unlock),
/// where the host delivers it. A call that blocks for long (a pipe read,
/// a wait, poll) holds no lock while it sleeps, so signals there run at
/// once, as on Linux.
///
/// Threads are told apart by their %fs base, which rdfsbase reads without
/// a system call; where the processor or the kernel does not allow it
/// (no HWCAP2_FSGSBASE), nothing is deferred and handlers run as before.
/// Before the counts covered every lock, a timer's handler writing to the
/// descriptor its main loop wrote to still waited for ever, on the
/// description's lock.
/// Not wrapped: SIGSYS, SIGSEGV and SIGBUS (the personality's own, see
/// FaultSignals.h), SIGILL, SIGFPE and SIGTRAP (a fault's signal cannot
/// wait), SIGKILL and SIGSTOP, and SA_RESETHAND handlers (the host would
/// reset the personality's handler, not the program's).
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_SIGNALDEFER_H
#define K42_PERSONALITY_SIGNALDEFER_H

#include "k42/personality/SigsysState.h"

#include <cstdint>

namespace k42::personality {

/// The program's handlers, run once its thread holds none of the locks.
class SignalDefer {
public:
  /// At start: turns deferral on where threads can be told apart cheaply.
  static void start();

  /// For rt_sigaction of ordinary signal \p Signal to \p Action (the
  /// program's): keeps it, and turns \p Action into what the host should
  /// be given (the personality's handler in place of the program's,
  /// SA_SIGINFO added), when it is one to wrap; whether it is. Call before
  /// the host's rt_sigaction (kept() first, to answer with); undo() if that
  /// fails.
  static bool willSet(long Signal, KernelSigaction &Action);
  /// The host refused the action willSet() kept: \p Previous (what
  /// kept() said before) back.
  static void undo(long Signal, const KernelSigaction &Previous);
  /// The action kept for \p Signal (the program's handler and flags).
  static KernelSigaction kept(long Signal);
  /// The program's view of \p Host, an action the host answered with:
  /// \p Program's handler and flags (the action kept then) where the host
  /// has the personality's.
  static void programsView(KernelSigaction &Host,
                           const KernelSigaction &Program);

  /// How many of the program's handlers without SA_RESTART have run on
  /// the calling thread (a count to compare, 0 where nothing is wrapped).
  /// A call that sleeps in the personality compares it with its value at
  /// the call's start before each wait: a handler that ran while the
  /// thread was between its checks and its futex wait (not in the wait,
  /// which the host would have ended with EINTR) interrupts the call too,
  /// as on Linux (PipeCalls' reads, writes and FIFO opens: an alarm meant
  /// to end a read of an empty pipe hung it).
  static uint32_t interrupts();
  /// How many of the program's handlers of any kind have run on the
  /// calling thread (0 where nothing is wrapped): a pipe write that has
  /// written some of its bytes returns that count once a handler ran, with
  /// SA_RESTART too, as Linux's does (the host restarts the wait itself,
  /// so the write went on to its full count).
  static uint32_t handled();

  /// Marks, for its life, the calling thread's futex wait in a poll,
  /// select or epoll call on K42 pipes: a handler with SA_RESTART that
  /// interrupts it ends the wait with EINTR, as Linux ends those calls
  /// whatever SA_RESTART says (ERESTARTNOHAND), where the host restarts a
  /// futex wait it was told to restart. A program that set its handler
  /// with signal() (SA_RESTART) and waited in poll(-1) on pipes never saw
  /// its signal (battery 45).
  class PollWait {
  public:
    PollWait();
    ~PollWait();
    PollWait(const PollWait &) = delete;
    PollWait &operator=(const PollWait &) = delete;

  private:
    uint64_t Me;
  };

  /// In a fork child, whose locks were reset rather than let go of:
  /// signals the forking thread deferred are unblocked.
  static void forked();
};

} // namespace k42::personality

#endif // K42_PERSONALITY_SIGNALDEFER_H
