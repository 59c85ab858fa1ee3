//===- k42/personality/RefusalLog.h - Refused calls, once each --*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Says, once per process and number, that a program asked for a call the
/// personality refuses, so a missing call is found from the first run
/// instead of from a program's puzzling reaction to ENOSYS. Safe in a
/// signal handler and under any libc: one write from the gate, no locks.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_REFUSALLOG_H
#define K42_PERSONALITY_REFUSALLOG_H

namespace k42::personality {

/// Where refusals go and which were said already.
class RefusalLog {
public:
  /// Reads the destination from \p Spec, the value of K42_LINUX_LOG: unset
  /// or "stderr" for descriptor 2, "off" for nowhere, else a file appended
  /// to. Call once, at start-up, before the process is armed.
  static void configure(const char *Spec);

  /// Logs "k42-linux: <name> (<number>) refused: <errno>" unless this
  /// number was logged before in this process. \p Name may be null.
  static void once(long Number, const char *Name, int Errno);

  /// Writes \p Length bytes of \p Text (a whole line) where refusals go:
  /// the personality's other reports share the one destination.
  static void say(const char *Text, unsigned long Length);

  /// How many refusals were logged; the unit test reads it.
  static unsigned long count();
};

} // namespace k42::personality

#endif // K42_PERSONALITY_REFUSALLOG_H
