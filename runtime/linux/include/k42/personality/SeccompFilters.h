//===- k42/personality/SeccompFilters.h - The program's filters -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// seccomp filters a program installs are kept and run here, at the table's
/// door (SyscallTable::dispatch), not handed to the host. On the host a
/// filter would judge the personality's own calls too: man-db runs `col`
/// and groff under a filter that allows no futex_waitv, socket or
/// memfd_create, so under K42 `man` waited for ever on a pipe its `col`
/// could not read. Here a filter judges exactly the program's calls, with
/// Linux's verdicts: ALLOW and LOG run the call, ERRNO answers its errno,
/// TRAP raises SIGSYS (si_code SYS_SECCOMP, the call's number, arch and
/// address, the data as si_errno) with the call's registers, KILL_THREAD
/// and KILL_PROCESS end the thread or the process by SIGSYS; strict mode
/// allows read, write, exit and rt_sigreturn and kills with SIGKILL.
/// Filters are inherited by fork children (this memory) and carried across
/// exec (the exec state, FileState); an exec of an image that will not
/// run the personality (LD_PRELOAD without it, a set-id program) installs
/// them on the host first, each behind a prefix that lets the old image's
/// gate through, so that image is filtered by the host as on Linux.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_SECCOMPFILTERS_H
#define K42_PERSONALITY_SECCOMPFILTERS_H

#include "k42/personality/Syscall.h"

#include <atomic>
#include <cstddef>

namespace k42::personality {

/// The process's filters, newest first, as Linux's task keeps them.
class SeccompFilters {
public:
  /// Whether a filter or strict mode is in force: what every call pays
  /// when none is.
  static bool on() { return On.load(std::memory_order_acquire); }

  /// Judges \p Call before its handler: false to run it, true when the
  /// verdict ends it, with its answer in \p Result (a TRAP of a trapped
  /// call sets Call.Redirected instead: the handler's rax is the answer).
  /// Never returns for a kill.
  static bool screen(SyscallCall &Call, long &Result);

  /// seccomp(2): \p Operation, \p Flags and the caller's \p Args.
  static long seccomp(long Operation, long Flags, long Args);

  /// PR_GET_SECCOMP's answer: 2 with filters, 0 without.
  static long mode();

  /// PR_SET_SECCOMP's: \p Mode SECCOMP_MODE_STRICT or SECCOMP_MODE_FILTER
  /// (with \p Args), as seccomp(2) with no flags.
  static long setMode(long Mode, long Args);

  /// The bytes the filters take in the exec state (0: none).
  static size_t stateBytes();
  /// Writes them into the exec state \p Fd at \p At; false if it failed.
  static bool writeState(long Fd, long At);
  /// Takes back \p Bytes of them from \p Fd at \p At in the new image.
  static void readState(long Fd, long At, size_t Bytes);

  /// Whether an exec of \p Path (the host's path) with \p Envp starts an
  /// image that will not run the personality (LD_PRELOAD without it, a
  /// set-id program) while filters are in force: the host's exec then, not
  /// the overlay, whose own calls the host's filters would judge.
  static bool leavingPersonality(long Path, long Envp);

  /// Before such an exec: the filters the host does not have yet go to
  /// it.
  static void installOnHost();

private:
  static std::atomic<bool> On;
};

} // namespace k42::personality

#endif // K42_PERSONALITY_SECCOMPFILTERS_H
