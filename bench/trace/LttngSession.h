//===- bench/trace/LttngSession.h - The anchor's LTTng session --*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// What makes an LTTng-UST tracepoint record: a session daemon, a session
/// with a user-space channel and the event enabled in it, started. The
/// benchmark makes one of its own (and stops the daemon if it started it),
/// so the anchor is LTTng's real recording path, not its disabled one.
///
//===----------------------------------------------------------------------===//

#ifndef K42_BENCH_TRACE_LTTNGSESSION_H
#define K42_BENCH_TRACE_LTTNGSESSION_H

#include "k42/ipc/Status.h"

#include <cstdint>
#include <string>
#include <sys/types.h>

namespace k42::bench {

/// A snapshot-mode LTTng session whose one channel overwrites its oldest
/// sub-buffer when full (flight recorder), so every event is written to
/// the ring buffer and none is discarded, with no consumer writing files
/// while the benchmark runs: the same work as a K42 event into a ring
/// that the benchmark drains between rounds.
class LttngSession {
public:
  /// Starts a session daemon if none runs, then makes and starts the
  /// session with \p Event enabled.
  static Status start(LttngSession &Session, const std::string &Event);

  /// Records a snapshot of the session's buffers and returns its size in
  /// bytes: evidence that the tracepoint really wrote events.
  uint64_t snapshotBytes();

  LttngSession() = default;
  LttngSession(const LttngSession &) = delete;
  LttngSession &operator=(const LttngSession &) = delete;
  /// Destroys the session and stops the daemon if this started it.
  ~LttngSession();

private:
  std::string Home;
  std::string Name;
  pid_t Daemon = -1;
  bool Created = false;
};

} // namespace k42::bench

#endif // K42_BENCH_TRACE_LTTNGSESSION_H
