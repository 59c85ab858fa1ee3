//===- k42/personality/TrapReflection.h - Traps to the table -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The compatibility entry: Syscall User Dispatch makes every system call a
/// thread issues outside the gate raise SIGSYS, and the personality's
/// handler, in the same process, hands it to the transfer table and writes
/// the answer into the caller's rax. This is how calls made inside glibc,
/// by static programs and by inline `syscall` instructions reach K42.
///
/// Dispatch is armed per thread and is lost by threads, fork children and
/// exec; the clone and execve handlers arm what they create (CloneCalls,
/// ExecCalls). One selector byte serves the whole process: BLOCK while the
/// personality is on; the personality never needs ALLOW, since its own
/// calls come from the gate.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_TRAPREFLECTION_H
#define K42_PERSONALITY_TRAPREFLECTION_H

namespace k42::personality {

/// Trap reflection for this process and its threads.
class TrapReflection {
public:
  /// Installs the SIGSYS handler (its restorer in the gate); once per
  /// process, before any thread is armed. 0 or a negated errno.
  static long install();

  /// Arms Syscall User Dispatch for the calling thread. 0 or a negated
  /// errno (EINVAL: a kernel without it).
  static long armThread();

  /// Disarms the calling thread (the benchmark's native rounds).
  static long disarmThread();

  /// The prctl option ("K42\0") a personality answers with NestedAnswer,
  /// where Linux answers EINVAL: how an image asks whether its system
  /// calls are already a personality's. They are when an emulator that runs
  /// on the personality loads the image as its guest (valgrind's client,
  /// which the personality's LD_PRELOAD reaches): the guest's calls are the
  /// emulator's, trapped by the emulator's personality, and a second one
  /// armed inside the guest would take the thread's dispatch from the
  /// first.
  static constexpr long NestedProbe = 0x4b343200;
  static constexpr long NestedAnswer = 0x4b3432;

  /// Whether this image's calls are served by a personality already (the
  /// probe answered): asked before anything is armed, so a host call.
  static bool nested();

  /// How many calls were reflected in this process (tests, benchmarks).
  static unsigned long reflected();

  /// From now on, the process's exit_group (always trapped) logs
  /// "k42-linux: pid <pid> exits: <n> calls trapped, <s> sites patched,
  /// <c> calls through patched sites" where refusals go (K42_LINUX_LOG):
  /// how K42_LINUX_TRAP_STATS=1 shows what site patching saved.
  static void countAtExit();
};

} // namespace k42::personality

#endif // K42_PERSONALITY_TRAPREFLECTION_H
