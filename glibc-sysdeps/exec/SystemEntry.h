//===- glibc-sysdeps/exec/SystemEntry.h - Into a system's pids --*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A K42 system with a pid namespace of its own (kernel/lib/PidNamespace.h)
/// runs its Linux programs inside it: that is what makes their pids the
/// system's. k42-exec is the way in: before it registers anything it finds
/// the kernel's pid (SO_PEERCRED of a connection to the kernel socket) and,
/// if the kernel's pid namespace is not its own, joins that namespace and
/// its mount namespace, and forks. The child goes on inside, a K42 process;
/// the parent stays outside, a host process only, waits for it, passes on
/// the signals sent to it, and leaves with the child's status.
///
/// Passed on when sent with kill: TERM, HUP, USR1, USR2, QUIT, INT, TSTP,
/// ALRM, CONT, WINCH (the terminal's INT, QUIT, TSTP and WINCH reach the
/// child itself). KILL of the parent ends the child (PR_SET_PDEATHSIG);
/// STOP is not passed on. A child stopped from the terminal (TSTP, TTIN,
/// TTOU) stops the parent too, so the shell's job stops, and the child is
/// continued with it.
///
/// The terminal. When k42-exec leads the process group that is the
/// foreground of its controlling terminal (a shell's foreground job, not
/// a command inside a script's job), the child becomes a
/// process group of its own and the terminal's foreground: a group outside
/// the namespace has no id inside it, so in k42-exec's group the program's
/// tcgetpgrp said 0, and an interactive shell ran without job control
/// ("no job control in background") and, started from a shell with job
/// control, stopped at once. The parent hands the terminal back to the
/// child when its job is continued in the foreground, and takes it back
/// when the child ends.
///
//===----------------------------------------------------------------------===//

#ifndef K42_GLIBC_SYSDEPS_EXEC_SYSTEMENTRY_H
#define K42_GLIBC_SYSDEPS_EXEC_SYSTEMENTRY_H

#include "k42/ipc/Result.h"

#include <string>

namespace k42::personality {

/// Entering the pid namespace of the system k42-exec runs a program on.
class SystemEntry {
public:
  /// What enter() made of the calling process.
  struct Outcome {
    /// This process goes on to run the program (it is in the system's pid
    /// namespace, or there is no system or no namespace to enter).
    bool GoOn = true;
    /// Otherwise: the parent outside, whose child has ended; the status
    /// to exit with (a child killed by a signal was re-raised first, so
    /// only a signal that did not kill this process gets here, 128 + n).
    int ExitStatus = 0;
    /// No kernel answers at the socket: the program's files and processes
    /// are the host's alone (the personality finds no system either).
    bool NoSystem = false;
  };

  /// Enters the namespaces of the kernel at \p SocketPath if this process
  /// is outside them; an error (with \p Why) if it cannot: the program
  /// would act on pids that are not the system's. The caller must be
  /// single-threaded.
  static Result<Outcome> enter(const char *SocketPath, std::string &Why);
};

} // namespace k42::personality

#endif // K42_GLIBC_SYSDEPS_EXEC_SYSTEMENTRY_H
