//===- utils/trace/lib/TextWriter.h - The dump as text ----------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The dump as text: a header saying how many events, processes and lost
/// events, then one event per line in timestamp order:
///
///   <ns> cpu=<p> pid=<k42 pid> host=<pid> tid=<tid> <type> <payload>
///
/// Lines that start with `#` are commentary (counts, the method summary),
/// so scripts can skip them.
///
//===----------------------------------------------------------------------===//

#ifndef K42_UTILS_TRACE_TEXTWRITER_H
#define K42_UTILS_TRACE_TEXTWRITER_H

#include "TraceSnapshot.h"

#include <ostream>

namespace k42::tracetool {

/// Writes \p Snapshot's header and events to \p OS.
void writeText(std::ostream &OS, const TraceSnapshot &Snapshot);

} // namespace k42::tracetool

#endif // K42_UTILS_TRACE_TEXTWRITER_H
