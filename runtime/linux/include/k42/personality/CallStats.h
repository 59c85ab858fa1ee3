//===- k42/personality/CallStats.h - Server calls, counted ------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// With K42_LINUX_CALL_STATS=1, each process counts the round trips it
/// makes to K42's servers (every PPC call, by server and method, and every
/// channel the kernel makes for it) and writes them as one line where the
/// personality's reports go (K42_LINUX_LOG) when its image ends: at
/// exit_group and at execve. A call to a server costs (usually) two context
/// switches, so these lines say where a workload's switches come from and
/// which calls a cache would save. Off by default: then a call pays one
/// load of a flag. Handler context: no TLS, no malloc, no libc.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_CALLSTATS_H
#define K42_PERSONALITY_CALLSTATS_H

#include <cstddef>
#include <cstdint>

namespace k42::personality {

/// Per-process counts of calls to K42's servers.
class CallStats {
public:
  /// The pseudo-interface of a kernel Connect (a channel made), counted as
  /// a call of method 0 to the server the channel reaches.
  static constexpr uint64_t KernelConnect = 0x4b657276436f6e6eull;

  /// Switches counting on when \p Spec (K42_LINUX_CALL_STATS) is "1";
  /// "paths" also logs each path a server is asked about (path()). Call
  /// before the process is armed.
  static void configure(const char *Spec);
  /// Whether counting is on.
  static bool on();

  /// With K42_LINUX_CALL_STATS=paths, each count() also logs "k42-linux:
  /// pid P (COMM) call SERVER:Interface.method PATH", PATH being the one
  /// given here just before (mount \p Mount, \p Rest of \p RestLength
  /// bytes in it) or "-" (a call on an open file): a workload's repeated
  /// lookups seen by name.
  static void path(const char *Mount, const char *Rest, size_t RestLength);

  /// Counts one call of \p Method of the interface \p Fingerprint to host
  /// process \p ServerPid. A fork child's first count drops what it
  /// inherited (its parent's, reported by the parent).
  static void count(long ServerPid, uint64_t Fingerprint, uint32_t Method);

  /// Writes "k42-linux: pid P (COMM) calls at WHY: SERVER:Interface.method=N
  /// ..."
  /// (\p Why: "exit", "exec") and starts again from zero: the counts of an
  /// image would go with it. Servers are named by their mount path ("/",
  /// "/usr"), "name" or "process"; others by pid. Nothing is written for
  /// an image that made no call (a fork child that only execs).
  static void report(const char *Why);

  /// The most distinct (server, method) pairs a process counts; more are
  /// counted together under "other".
  static constexpr unsigned Capacity = 96;
};

} // namespace k42::personality

#endif // K42_PERSONALITY_CALLSTATS_H
