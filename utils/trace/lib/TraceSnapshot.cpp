//===- utils/trace/lib/TraceSnapshot.cpp - Every ring, merged -------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "TraceSnapshot.h"

#include <algorithm>
#include <chrono>
#include <set>
#include <thread>
#include <utility>

namespace k42::tracetool {
namespace {

/// Timestamp order; equal timestamps keep the order they were read in.
void sortByTime(std::vector<TraceRecord> &Events) {
  std::sort(Events.begin(), Events.end(),
            [](const TraceRecord &A, const TraceRecord &B) {
              if (A.Fields.Timestamp != B.Fields.Timestamp)
                return A.Fields.Timestamp < B.Fields.Timestamp;
              return A.ReadOrder < B.ReadOrder;
            });
}

} // namespace

TraceSnapshot TraceSnapshot::take(trace::TraceRegion &Region) {
  TraceSnapshot S;
  for (uint32_t I = 0; I < Region.rings(); ++I) {
    trace::TraceRing Ring = Region.ring(I);
    // Lost first: an event refused after this read counts in the next dump.
    S.Lost.push_back(Ring.takeLost());
    auto Visit = [&](const trace::EventView &V) {
      TraceRecord R;
      R.Fields = V.Fields;
      R.Payload.assign(reinterpret_cast<const char *>(V.Payload.data()),
                       V.Payload.size());
      R.Ring = I;
      R.ReadOrder = S.Events.size();
      S.Events.push_back(std::move(R));
    };
    trace::ReadStats Stats = Ring.read(Visit);
    // A writer between its reservation and its commit word takes
    // nanoseconds, unless it was preempted or died: wait a little.
    for (int Try = 0; Stats.Incomplete && Try < 100; ++Try) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      Stats = Ring.read(Visit);
    }
    if (Stats.Incomplete)
      ++S.Unfinished;
  }
  sortByTime(S.Events);
  return S;
}

TraceSnapshot TraceSnapshot::fromEvents(std::vector<TraceRecord> Events,
                                        std::vector<uint64_t> Lost) {
  TraceSnapshot S;
  for (size_t I = 0; I < Events.size(); ++I)
    Events[I].ReadOrder = I;
  S.Events = std::move(Events);
  S.Lost = std::move(Lost);
  sortByTime(S.Events);
  return S;
}

uint64_t TraceSnapshot::totalLost() const {
  uint64_t Sum = 0;
  for (uint64_t L : Lost)
    Sum += L;
  return Sum;
}

size_t TraceSnapshot::processes() const {
  std::set<uint32_t> Pids;
  for (const TraceRecord &R : Events)
    Pids.insert(R.Fields.HostPid);
  return Pids.size();
}

} // namespace k42::tracetool
