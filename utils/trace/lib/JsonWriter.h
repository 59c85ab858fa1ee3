//===- utils/trace/lib/JsonWriter.h - The dump as a timeline ----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The dump in the Trace Event Format that chrome://tracing and
/// ui.perfetto.dev open: one track per process and thread (named by K42
/// pid), a complete ("X") event per served PPC call, an instant ("i")
/// event for everything else. Timestamps are microseconds from the first
/// event.
///
//===----------------------------------------------------------------------===//

#ifndef K42_UTILS_TRACE_JSONWRITER_H
#define K42_UTILS_TRACE_JSONWRITER_H

#include "CallSpans.h"
#include "TraceSnapshot.h"

#include <ostream>
#include <vector>

namespace k42::tracetool {

/// Writes \p Snapshot, with \p Spans drawn as calls, to \p OS.
void writeChromeJson(std::ostream &OS, const TraceSnapshot &Snapshot,
                     const std::vector<CallSpan> &Spans);

} // namespace k42::tracetool

#endif // K42_UTILS_TRACE_JSONWRITER_H
