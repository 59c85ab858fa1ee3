//===- utils/trace/lib/MethodSummary.cpp - Latency per method -------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "MethodSummary.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace k42::tracetool {

std::vector<MethodStats> summarize(const std::vector<CallSpan> &Spans) {
  std::map<std::string, std::vector<uint64_t>> ByMethod;
  for (const CallSpan &S : Spans)
    ByMethod[S.Method].push_back(S.End >= S.Begin ? S.End - S.Begin : 0);
  std::vector<MethodStats> Stats;
  for (auto &[Method, Latencies] : ByMethod) {
    std::sort(Latencies.begin(), Latencies.end());
    MethodStats M;
    M.Method = Method;
    M.Count = Latencies.size();
    double Sum = 0;
    for (uint64_t L : Latencies)
      Sum += double(L);
    M.MeanNs = Sum / double(M.Count);
    // Nearest rank: the smallest latency at least 99% of calls do not
    // exceed.
    size_t Rank = (M.Count * 99 + 99) / 100;
    M.P99Ns = Latencies[std::min(Rank, Latencies.size()) - 1];
    Stats.push_back(M);
  }
  return Stats;
}

void writeSummary(std::ostream &OS, const std::vector<MethodStats> &Stats) {
  OS << "# summary: " << Stats.size()
     << " traced method(s), latency from call to return in the server\n";
  char Line[512];
  for (const MethodStats &M : Stats) {
    std::snprintf(Line, sizeof(Line),
                  "# method %s count=%llu mean_us=%.3f p99_us=%.3f\n",
                  M.Method.c_str(), static_cast<unsigned long long>(M.Count),
                  M.MeanNs / 1000.0, double(M.P99Ns) / 1000.0);
    OS << Line;
  }
}

} // namespace k42::tracetool
