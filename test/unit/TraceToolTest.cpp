//===- test/unit/TraceToolTest.cpp - k42-trace's library ------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// What the dump makes of events: calls paired with their returns per
/// thread (nested calls included, a lost return tolerated), the per-method
/// count, mean and p99, and the text and JSON forms.
///
//===----------------------------------------------------------------------===//

#include "CallSpans.h"
#include "JsonWriter.h"
#include "MethodSummary.h"
#include "TextWriter.h"

#include <gtest/gtest.h>

#include <sstream>

using namespace k42;
using namespace k42::tracetool;

namespace {

TraceRecord ppc(trace::PpcMinor Minor, const std::string &Method, uint64_t At,
                uint32_t Tid) {
  TraceRecord R;
  R.Fields.Timestamp = At;
  R.Fields.MajorId = uint16_t(trace::Major::Ppc);
  R.Fields.MinorId = uint16_t(Minor);
  R.Fields.HostPid = 100;
  R.Fields.K42Pid = 2;
  R.Fields.Tid = Tid;
  R.Payload = Method;
  return R;
}

TraceRecord call(const std::string &M, uint64_t At, uint32_t Tid = 1) {
  return ppc(trace::PpcMinor::Call, M, At, Tid);
}
TraceRecord ret(const std::string &M, uint64_t At, uint32_t Tid = 1) {
  return ppc(trace::PpcMinor::Return, M, At, Tid);
}

} // namespace

TEST(TraceToolTest, PairsNestedCallsPerThread) {
  std::vector<TraceRecord> Events = {
      call("A::outer", 10),  call("B::other", 11, 2), call("A::inner", 12),
      ret("A::inner", 15),   ret("B::other", 16, 2),  ret("A::outer", 30),
      call("A::orphan", 40), call("A::outer", 41),    ret("A::outer", 45),
      ret("A::never", 50)};
  std::vector<CallSpan> Spans = matchCalls(Events);
  ASSERT_EQ(Spans.size(), 4u);
  EXPECT_EQ(Spans[0].Method, "A::outer");
  EXPECT_EQ(Spans[0].End - Spans[0].Begin, 20u);
  EXPECT_EQ(Spans[1].Method, "B::other");
  EXPECT_EQ(Spans[2].Method, "A::inner");
  EXPECT_EQ(Spans[2].End - Spans[2].Begin, 3u);
  EXPECT_EQ(Spans[3].End - Spans[3].Begin, 4u)
      << "a call whose return was lost does not capture the next one";
}

TEST(TraceToolTest, SummarySaysCountMeanAndP99) {
  std::vector<TraceRecord> Events;
  // 100 calls of 1..100 ns.
  for (uint64_t I = 1; I <= 100; ++I) {
    Events.push_back(call("C::m", I * 1000));
    Events.push_back(ret("C::m", I * 1000 + I));
  }
  std::vector<MethodStats> Stats = summarize(matchCalls(Events));
  ASSERT_EQ(Stats.size(), 1u);
  EXPECT_EQ(Stats[0].Count, 100u);
  EXPECT_DOUBLE_EQ(Stats[0].MeanNs, 50.5);
  EXPECT_EQ(Stats[0].P99Ns, 99u);
  std::ostringstream OS;
  writeSummary(OS, Stats);
  EXPECT_NE(OS.str().find("# method C::m count=100 mean_us=0.051 p99_us=0.099"),
            std::string::npos)
      << OS.str();
}

TEST(TraceToolTest, TextAndJsonOfASnapshot) {
  TraceRecord Mark;
  Mark.Fields.Timestamp = 2000;
  Mark.Fields.MajorId = uint16_t(trace::Major::Mark);
  Mark.Fields.MinorId = 1;
  Mark.Fields.HostPid = 101;
  Mark.Fields.Tid = 101;
  Mark.Payload = "say \"hi\"";
  // Out of order on purpose: the snapshot sorts by timestamp.
  TraceSnapshot S = TraceSnapshot::fromEvents(
      {ret("A::m", 3500), Mark, call("A::m", 1000)}, {0, 7});
  EXPECT_EQ(S.totalLost(), 7u);
  EXPECT_EQ(S.processes(), 2u);

  std::ostringstream Text;
  writeText(Text, S);
  EXPECT_EQ(Text.str(),
            "# k42-trace: 3 event(s) from 2 process(es)\n"
            "# lost: 7 event(s) refused by full rings (ring 0: 0, ring 1: 7)\n"
            "1000 cpu=0 pid=2 host=100 tid=1 ppc.call A::m\n"
            "2000 cpu=0 pid=0 host=101 tid=101 mark.1 say \"hi\"\n"
            "3500 cpu=0 pid=2 host=100 tid=1 ppc.return A::m\n");

  std::ostringstream Json;
  writeChromeJson(Json, S, matchCalls(S.events()));
  std::string J = Json.str();
  EXPECT_NE(J.find("\"lost_events\":7"), std::string::npos) << J;
  EXPECT_NE(J.find("{\"name\":\"A::m\",\"cat\":\"ppc\",\"ph\":\"X\","
                   "\"ts\":0.000,\"dur\":2.500,\"pid\":100,\"tid\":1"),
            std::string::npos)
      << J;
  EXPECT_NE(J.find("{\"name\":\"mark.1\",\"cat\":\"mark\",\"ph\":\"i\""),
            std::string::npos)
      << J;
  EXPECT_NE(J.find("\"payload\":\"say \\\"hi\\\"\""), std::string::npos) << J;
  EXPECT_NE(J.find("\"name\":\"K42 pid 2 (host 100)\""), std::string::npos);
  EXPECT_EQ(J.find("ppc.call"), std::string::npos)
      << "paired calls are spans, not instants";
}
