//===- utils/trace/lib/TraceRecord.h - One event, read out ------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// An event copied out of the trace region, and the names the dump gives
/// its ids, shared by the text and JSON writers and the summary.
///
//===----------------------------------------------------------------------===//

#ifndef K42_UTILS_TRACE_TRACERECORD_H
#define K42_UTILS_TRACE_TRACERECORD_H

#include "k42/trace/TraceRing.h"

#include <cstdint>
#include <string>

namespace k42::tracetool {

/// An event out of a ring: its fields, its payload, the ring it was in.
struct TraceRecord {
  trace::EventFields Fields;
  std::string Payload;
  uint32_t Ring = 0;
  /// Its place in the order the dump read events (ring by ring), which
  /// breaks ties between equal timestamps.
  uint64_t ReadOrder = 0;
};

/// "ppc.call", "link.connect", "mark.1", "major7.3": the event's type.
std::string eventName(const TraceRecord &R);

/// The payload as text if it is printable, else as hex bytes.
std::string payloadText(const TraceRecord &R);

/// Whether the event is a traced PPC call (true) or return.
bool isPpcCall(const TraceRecord &R);
bool isPpcReturn(const TraceRecord &R);

} // namespace k42::tracetool

#endif // K42_UTILS_TRACE_TRACERECORD_H
