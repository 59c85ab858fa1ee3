//===- runtime/include/k42/trace/TraceRing.h - One event ring ---*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// One processor's ring of variable-length trace events, over memory that
/// may be shared between processes. Any number of writers, in any process,
/// reserve space without a lock; one reader consumes what is complete.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_TRACE_TRACERING_H
#define K42_RUNTIME_TRACE_TRACERING_H

#include "k42/trace/TraceLayout.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>

namespace k42::trace {

/// What a writer puts in an event besides the payload.
struct EventFields {
  uint64_t Timestamp = 0;
  uint16_t MajorId = 0;
  uint16_t MinorId = 0;
  uint16_t Processor = 0;
  uint32_t K42Pid = 0;
  uint32_t HostPid = 0;
  uint32_t Tid = 0;
};

/// An event as the reader hands it out (the payload points into the ring
/// and is valid only during the callback).
struct EventView {
  EventFields Fields;
  std::span<const uint8_t> Payload;
};

/// What one read pass found.
struct ReadStats {
  uint64_t Events = 0;
  /// Events still being written when the pass ended (left in the ring).
  bool Incomplete = false;
};

/// A view of one ring: its control line and its event bytes.
class TraceRing {
public:
  /// \p Bytes must be a power of two and a multiple of 8.
  TraceRing(RingHeader &Header, uint8_t *Data, uint64_t Bytes)
      : Header(Header), Data(Data), Bytes(Bytes) {}

  /// Appends one event. Returns false, and counts the event as lost, when
  /// the ring has no room for all of it: an event is kept whole or not at
  /// all. Never blocks, never takes a lock.
  bool write(const EventFields &Fields, std::span<const uint8_t> Payload);

  /// Consumes every complete event in order of reservation, calling
  /// \p Visit for each, and frees their space for writers. Stops at the
  /// first event still being written (it stays for the next pass).
  ReadStats read(const std::function<void(const EventView &)> &Visit);

  /// Events refused because the ring was full, since it was made.
  uint64_t lost() const { return Header.Lost.load(std::memory_order_relaxed); }

  /// Reads and resets the lost count (the reader reports losses since its
  /// last pass).
  uint64_t takeLost() {
    return Header.Lost.exchange(0, std::memory_order_relaxed);
  }

  /// Bytes reserved and not yet consumed.
  uint64_t used() const;

  /// The bytes an event with \p PayloadBytes of payload takes.
  static uint32_t eventBytes(size_t PayloadBytes) {
    return uint32_t((sizeof(EventHeader) + PayloadBytes + 7) & ~size_t(7));
  }

private:
  RingHeader &Header;
  uint8_t *Data;
  uint64_t Bytes;
};

} // namespace k42::trace

#endif // K42_RUNTIME_TRACE_TRACERING_H
