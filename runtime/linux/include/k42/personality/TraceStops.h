//===- k42/personality/TraceStops.h - A tracer's view of dispatch -*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// What a tracer running under the personality (gdb, strace, a program's
/// own ptrace loop) sees of its tracees. Syscall User Dispatch raises a
/// SIGSYS at each of a tracee's trapped calls, and the host reports every
/// signal to the tracer first: gdb stopped at each one ("Program received
/// signal SIGSYS" inside libc), where natively a system call shows no stop
/// at all; and at a SIGSEGV wherever the personality's copy of a system
/// call's memory met a bad pointer or the end of a mapping (an exec's
/// strings at the top of the stack), which the tracee's own handler turns
/// into EFAULT or a short copy. The tracer's waits pass such a stop on
/// (the tracee resumed as the tracer last resumed it, with the signal,
/// which its personality handles), so the tracer sees the stops Linux
/// would show.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_TRACESTOPS_H
#define K42_PERSONALITY_TRACESTOPS_H

namespace k42::personality {

/// The tracer side of trap reflection: the last resume request of each
/// tracee, and the passing on of the dispatch's SIGSYS stops.
class TraceStops {
public:
  /// With \p Show "1" (K42_TRACE_PERSONALITY), the tracer sees the
  /// personality's stops as they come, for debugging the personality
  /// itself.
  static void configure(const char *Show);

  /// Notes a ptrace \p Request for \p Tid before the host makes it: a
  /// resume (PTRACE_CONT, PTRACE_SYSCALL, a single step, PTRACE_SYSEMU) is
  /// how the tracee is resumed again after a stop passed on; a detach or
  /// kill forgets it.
  static void requested(long Request, long Tid);

  /// Whether \p Status, which the host's wait gave for \p Tid, was a stop
  /// for the SIGSYS of the tracee's dispatch or a fault of its user copy
  /// that this now passed on: the tracee was resumed with the signal, by
  /// its last resume request, and the caller waits again. Not after a
  /// single step (the step stops at the signal's handler, so the tracer is
  /// shown the stop as before), nor when the caller is not the tracee's
  /// tracer (the host refuses it PTRACE_GETSIGINFO), nor for a signal sent
  /// or raised by a seccomp filter.
  static bool passedOn(long Tid, int Status);
};

} // namespace k42::personality

#endif // K42_PERSONALITY_TRACESTOPS_H
