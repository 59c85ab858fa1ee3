//===- utils/trace/lib/CallSpans.cpp - Calls paired with returns ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "CallSpans.h"

#include <algorithm>
#include <map>
#include <utility>

namespace k42::tracetool {

std::vector<CallSpan> matchCalls(const std::vector<TraceRecord> &Events) {
  std::map<std::pair<uint32_t, uint32_t>, std::vector<size_t>> Open;
  std::vector<CallSpan> Spans;
  for (size_t I = 0; I < Events.size(); ++I) {
    const TraceRecord &R = Events[I];
    auto Key = std::make_pair(R.Fields.HostPid, R.Fields.Tid);
    if (isPpcCall(R)) {
      Open[Key].push_back(I);
      continue;
    }
    if (!isPpcReturn(R))
      continue;
    std::vector<size_t> &Stack = Open[Key];
    // The innermost open call of the same method; calls above it lost
    // their return (a lost event) and are dropped.
    auto It = std::find_if(Stack.rbegin(), Stack.rend(), [&](size_t C) {
      return Events[C].Payload == R.Payload;
    });
    if (It == Stack.rend())
      continue;
    size_t Call = *It;
    Stack.erase(std::next(It).base(), Stack.end());
    Spans.push_back({R.Payload, Call, I, Events[Call].Fields.Timestamp,
                     R.Fields.Timestamp});
  }
  std::sort(Spans.begin(), Spans.end(),
            [](const CallSpan &A, const CallSpan &B) {
              return A.CallIndex < B.CallIndex;
            });
  return Spans;
}

} // namespace k42::tracetool
