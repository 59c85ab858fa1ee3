//===- k42/personality/FdLimit.h - The program's RLIMIT_NOFILE -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The program's descriptor limit (RLIMIT_NOFILE), kept in the process.
/// The personality's own descriptors live at 1000 and up, so the host's
/// limit must stay above them whatever the program sets: the program's
/// limit is this object's, the host's is raised with it and never lowered
/// below PrivateRoom. Calls that give the program a descriptor check it
/// here (EMFILE at or above the soft limit, as Linux). Inherited by fork
/// through memory, handed across exec in the exec state (FileState).
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_FDLIMIT_H
#define K42_PERSONALITY_FDLIMIT_H

#include <cstdint>

namespace k42::personality {

/// One process's RLIMIT_NOFILE as its program sees it.
class FdLimit {
public:
  /// The host's soft limit the personality keeps at least: its fixed
  /// descriptors (1000-1009) and the channel memfds above them.
  static constexpr uint64_t PrivateRoom = 1024;

  /// At start, before the process is armed: the program's limit is
  /// \p FromExec ({soft, hard}, what the previous program of this process
  /// had) or, with none, the host's as the process found it; the host's
  /// soft limit is then raised to PrivateRoom if it is lower (its hard
  /// limit too when the process may).
  static void start(const uint64_t *FromExec);

  /// The program's soft limit: no descriptor of the program at or above it.
  static uint64_t soft();

  /// Writes the program's {soft, hard} into \p Out. A change another
  /// process made to this one's limit (prlimit --pid) is taken here: the
  /// host's limit then differs from what the personality left it at.
  static void get(uint64_t *Out);

  /// fcntl(\p Fd, \p Command, \p From): F_DUPFD or F_DUPFD_CLOEXEC of one
  /// of the personality's own descriptors, from 1000 up. Where another
  /// process lowered this one's limit under the personality (prlimit
  /// --pid: EINVAL), that limit becomes the program's, as get() takes it,
  /// the host's is raised again, and the copy is tried once more: the
  /// program's next open is EMFILE at its new limit, not EINVAL. EMFILE
  /// where there is still no room (a hard limit below 1000 that only
  /// CAP_SYS_RESOURCE could raise).
  static long copyHigh(long Fd, long Command, long From);
  /// setrlimit's rules for the program's new \p Soft and \p Hard (EINVAL
  /// soft above hard; EPERM raising the hard limit without
  /// CAP_SYS_RESOURCE or past fs.nr_open), the host's limit moved along.
  /// 0 or a negated errno.
  static long set(uint64_t Soft, uint64_t Hard);

  /// Whether the program's limit is not the host's: the exec state must
  /// carry it.
  static bool differsFromHost();

  /// \p Result of a call that made one new descriptor: itself, or, when it
  /// is at or above the soft limit, closed on the host and -EMFILE. The
  /// new number is never taken for another thread's closed K42
  /// descriptor (StaleFds::drop), and is the program's (ProgramFds).
  static long check(long Result);

  /// The two descriptors a pipe2 or socketpair wrote at \p User: 0 when
  /// both are below the soft limit, else both closed and -EMFILE; their
  /// numbers' stale entries dropped and marked the program's as check()
  /// does.
  static long checkPair(long User);
};

} // namespace k42::personality

#endif // K42_PERSONALITY_FDLIMIT_H
