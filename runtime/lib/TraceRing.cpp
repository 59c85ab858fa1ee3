//===- runtime/lib/TraceRing.cpp - One event ring -------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/trace/TraceRing.h"

#include <algorithm>
#include <cstring>

namespace k42::trace {

bool TraceRing::write(const EventFields &Fields,
                      std::span<const uint8_t> Payload) {
  size_t PayloadBytes = std::min<size_t>(Payload.size(), MaxPayloadBytes);
  uint32_t Length = eventBytes(PayloadBytes);
  uint64_t Head = Header.Head.load(std::memory_order_relaxed);
  uint64_t Pad;
  // A compare-and-swap, not a fetch_add: a full ring must refuse the whole
  // event without reserving anything, and an event that would straddle the
  // end of the array reserves the rest of it as filler in the same step.
  for (;;) {
    uint64_t Offset = Head & (Bytes - 1);
    Pad = Offset + Length > Bytes ? Bytes - Offset : 0;
    // Acquire: the reader's loads of the bytes it freed happen before our
    // stores into them.
    uint64_t Tail = Header.Tail.load(std::memory_order_acquire);
    if (Head + Pad + Length - Tail > Bytes) {
      Header.Lost.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    if (Header.Head.compare_exchange_weak(Head, Head + Pad + Length,
                                          std::memory_order_relaxed,
                                          std::memory_order_relaxed))
      break;
  }
  if (Pad) {
    auto *Filler =
        reinterpret_cast<std::atomic<uint64_t> *>(Data + (Head & (Bytes - 1)));
    Filler->store(commitWord(Head, uint32_t(Pad) | FillerFlag),
                  std::memory_order_release);
  }
  uint64_t Start = Head + Pad;
  uint8_t *At = Data + (Start & (Bytes - 1));
  auto *E = reinterpret_cast<EventHeader *>(At);
  E->Timestamp = Fields.Timestamp;
  E->MajorId = Fields.MajorId;
  E->MinorId = Fields.MinorId;
  E->Processor = Fields.Processor;
  E->PayloadBytes = uint16_t(PayloadBytes);
  E->K42Pid = Fields.K42Pid;
  E->HostPid = Fields.HostPid;
  E->Tid = Fields.Tid;
  E->Reserved = 0;
  if (PayloadBytes)
    std::memcpy(At + sizeof(EventHeader), Payload.data(), PayloadBytes);
  // Last, with release: a reader that sees this word sees the whole event.
  E->Commit.store(commitWord(Start, Length), std::memory_order_release);
  return true;
}

ReadStats TraceRing::read(const std::function<void(const EventView &)> &Visit) {
  ReadStats Stats;
  uint64_t Tail = Header.Tail.load(std::memory_order_relaxed);
  uint64_t Head = Header.Head.load(std::memory_order_acquire);
  while (Tail < Head) {
    uint64_t Offset = Tail & (Bytes - 1);
    auto *Word = reinterpret_cast<std::atomic<uint64_t> *>(Data + Offset);
    uint64_t Commit = Word->load(std::memory_order_acquire);
    uint32_t Length = uint32_t(Commit) & ~FillerFlag;
    bool Filler = uint32_t(Commit) & FillerFlag;
    // Another stamp: a writer reserved this place and has not finished.
    if ((Commit >> 32) != (commitWord(Tail, 0) >> 32) || Length < 8 ||
        Length % 8 || Offset + Length > Bytes ||
        (!Filler && Length < sizeof(EventHeader))) {
      Stats.Incomplete = true;
      break;
    }
    if (!Filler) {
      const auto *E = reinterpret_cast<const EventHeader *>(Data + Offset);
      EventView View;
      View.Fields.Timestamp = E->Timestamp;
      View.Fields.MajorId = E->MajorId;
      View.Fields.MinorId = E->MinorId;
      View.Fields.Processor = E->Processor;
      View.Fields.K42Pid = E->K42Pid;
      View.Fields.HostPid = E->HostPid;
      View.Fields.Tid = E->Tid;
      size_t PayloadBytes =
          std::min<size_t>(E->PayloadBytes, Length - sizeof(EventHeader));
      View.Payload = {Data + Offset + sizeof(EventHeader), PayloadBytes};
      Visit(View);
      ++Stats.Events;
    }
    Tail += Length;
    // Release: our reads of this event happen before a writer reuses it.
    Header.Tail.store(Tail, std::memory_order_release);
  }
  return Stats;
}

uint64_t TraceRing::used() const {
  return Header.Head.load(std::memory_order_relaxed) -
         Header.Tail.load(std::memory_order_relaxed);
}

} // namespace k42::trace
