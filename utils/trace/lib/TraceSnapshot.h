//===- utils/trace/lib/TraceSnapshot.h - Every ring, merged -----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// What one dump takes out of a trace region: the complete events of every
/// ring, merged in timestamp order, and how many events each ring lost
/// because it was full.
///
//===----------------------------------------------------------------------===//

#ifndef K42_UTILS_TRACE_TRACESNAPSHOT_H
#define K42_UTILS_TRACE_TRACESNAPSHOT_H

#include "TraceRecord.h"

#include "k42/trace/TraceRegion.h"

#include <cstdint>
#include <vector>

namespace k42::tracetool {

/// The events of one dump.
class TraceSnapshot {
public:
  /// Consumes every complete event of \p Region (its space goes back to
  /// writers) and the lost counts. An event still being written gets a
  /// moment to finish; if it does not, it and what follows stay in the
  /// ring for the next dump.
  static TraceSnapshot take(trace::TraceRegion &Region);

  /// A snapshot of events already read (from a test, or another source),
  /// put in timestamp order.
  static TraceSnapshot fromEvents(std::vector<TraceRecord> Events,
                                  std::vector<uint64_t> Lost);

  /// Events in timestamp order (ties: ring, then order within the ring).
  const std::vector<TraceRecord> &events() const { return Events; }
  /// Events lost to full rings since the last dump, per ring.
  const std::vector<uint64_t> &lost() const { return Lost; }
  uint64_t totalLost() const;
  /// Rings that still hold an unfinished event.
  uint32_t unfinishedRings() const { return Unfinished; }
  /// Processes (host pids) that have events here.
  size_t processes() const;

private:
  std::vector<TraceRecord> Events;
  std::vector<uint64_t> Lost;
  uint32_t Unfinished = 0;
};

} // namespace k42::tracetool

#endif // K42_UTILS_TRACE_TRACESNAPSHOT_H
