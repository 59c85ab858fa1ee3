//===- utils/trace/lib/CallSpans.h - Calls paired with returns --*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Pairs each traced PPC call with its return (same process and thread,
/// innermost first, so nested calls pair correctly): the spans the JSON
/// timeline draws and the latencies the summary counts.
///
//===----------------------------------------------------------------------===//

#ifndef K42_UTILS_TRACE_CALLSPANS_H
#define K42_UTILS_TRACE_CALLSPANS_H

#include "TraceRecord.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace k42::tracetool {

/// One served call, from its call event to its return event.
struct CallSpan {
  std::string Method;
  size_t CallIndex = 0;
  size_t ReturnIndex = 0;
  uint64_t Begin = 0;
  uint64_t End = 0;
};

/// The call/return pairs of \p Events (in timestamp order); calls whose
/// return is not in the dump, and returns whose call is not, have no span.
std::vector<CallSpan> matchCalls(const std::vector<TraceRecord> &Events);

} // namespace k42::tracetool

#endif // K42_UTILS_TRACE_CALLSPANS_H
