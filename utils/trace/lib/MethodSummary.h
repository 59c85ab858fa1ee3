//===- utils/trace/lib/MethodSummary.h - Latency per method -----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// How often each traced method was served and how long it took (call
/// event to return event, in the server): count, mean and 99th percentile.
///
//===----------------------------------------------------------------------===//

#ifndef K42_UTILS_TRACE_METHODSUMMARY_H
#define K42_UTILS_TRACE_METHODSUMMARY_H

#include "CallSpans.h"

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace k42::tracetool {

/// One method's line of the summary.
struct MethodStats {
  std::string Method;
  uint64_t Count = 0;
  double MeanNs = 0;
  uint64_t P99Ns = 0;
};

/// Per-method statistics of \p Spans, by method name.
std::vector<MethodStats> summarize(const std::vector<CallSpan> &Spans);

/// Writes the summary as `# method ... count=N mean_us=X p99_us=Y` lines.
void writeSummary(std::ostream &OS, const std::vector<MethodStats> &Stats);

} // namespace k42::tracetool

#endif // K42_UTILS_TRACE_METHODSUMMARY_H
