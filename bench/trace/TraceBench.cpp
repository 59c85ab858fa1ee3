//===- bench/trace/TraceBench.cpp - K42 trace event vs LTTng-UST ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The cost, on one thread pinned to processor 0, of:
///
///   k42       one enabled K42 trace event (k42::trace::event, 8-byte
///             payload) into a trace region made for the benchmark: the
///             enabled check, CLOCK_MONOTONIC, the processor, a
///             compare-and-swap on the ring head, the copy, the commit word;
///   lttng     one LTTng-UST tracepoint (k42bench:event, one uint64_t
///             field) recorded by a real session: a session daemon, a
///             snapshot session, one user-space channel in overwrite mode
///             (4 x 1 MiB sub-buffers), the event enabled and the session
///             started (LttngSession.h), so every call runs LTTng's probe and
///             writes its ring buffer (same clock, CLOCK_MONOTONIC);
///   disabled  a K42 event site while tracing is off (the enabled-word
///             load and the branch), per site, loop included.
///
/// Rounds of each are interleaved; each keeps its median. The K42 ring is
/// drained between rounds (outside the timing), so no K42 event is refused
/// for want of room; LTTng's overwrite channel never refuses one either.
/// Prints RESULT trace_event_vs_lttng (k42 / lttng; goal <= 1) and RESULT
/// trace_disabled_ns (goal < 2).
///
//===----------------------------------------------------------------------===//

#include "LttngSession.h"

#include "LttngProbe.h"

#include "k42/trace/Trace.h"
#include "k42/trace/TraceRegion.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <sched.h>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace k42;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int Rounds = 15;
constexpr int EventsPerRound = 10000;
constexpr int DisabledPerRound = 20000000;

double median(std::vector<double> V) {
  std::sort(V.begin(), V.end());
  return V[V.size() / 2];
}

double nsSince(Clock::time_point Start, int Count) {
  return std::chrono::duration<double, std::nano>(Clock::now() - Start)
             .count() /
         Count;
}

/// Keeps the compiler from folding the loop: each site is a real one.
inline void barrier() { asm volatile("" ::: "memory"); }

double k42Round() {
  auto Start = Clock::now();
  for (uint64_t I = 0; I < EventsPerRound; ++I) {
    trace::event(trace::Major::User, 1,
                 {reinterpret_cast<const uint8_t *>(&I), sizeof(I)});
    barrier();
  }
  return nsSince(Start, EventsPerRound);
}

double lttngRound() {
  auto Start = Clock::now();
  for (uint64_t I = 0; I < EventsPerRound; ++I) {
    lttng_ust_tracepoint(k42bench, event, I);
    barrier();
  }
  return nsSince(Start, EventsPerRound);
}

double disabledRound() {
  auto Start = Clock::now();
  for (uint64_t I = 0; I < DisabledPerRound; ++I) {
    trace::event(trace::Major::User, 1,
                 {reinterpret_cast<const uint8_t *>(&I), sizeof(I)});
    barrier();
  }
  return nsSince(Start, DisabledPerRound);
}

double emptyRound() {
  auto Start = Clock::now();
  for (uint64_t I = 0; I < DisabledPerRound; ++I)
    barrier();
  return nsSince(Start, DisabledPerRound);
}

/// Consumes every event of \p Region; returns how many were refused.
uint64_t drain(trace::TraceRegion &Region, uint64_t &Read) {
  uint64_t Lost = 0;
  for (uint32_t I = 0; I < Region.rings(); ++I) {
    trace::TraceRing Ring = Region.ring(I);
    Lost += Ring.takeLost();
    Read += Ring.read([](const trace::EventView &) {}).Events;
  }
  return Lost;
}

} // namespace

int main() {
  cpu_set_t One;
  CPU_ZERO(&One);
  CPU_SET(0, &One);
  sched_setaffinity(0, sizeof(One), &One);

  std::string Path = "/tmp/k42-bench-trace-" + std::to_string(getpid());
  Result<trace::TraceRegion> Region =
      trace::TraceRegion::create(Path, trace::TraceRegion::DefaultRings,
                                 trace::TraceRegion::DefaultRingBytes);
  if (!Region || !trace::attach(Path)) {
    std::fprintf(stderr, "bench-trace: cannot make a trace region at %s\n",
                 Path.c_str());
    return 1;
  }
  unlink(Path.c_str());

  bench::LttngSession Session;
  if (Status S = bench::LttngSession::start(Session, "k42bench:event"); !S) {
    std::fprintf(stderr,
                 "bench-trace: cannot start an LTTng session (%s); are "
                 "lttng-tools and liblttng-ust-dev installed?\n",
                 std::string(S.message()).c_str());
    return 1;
  }
  // The session daemon tells this process about the enabled event
  // asynchronously (it registered when the daemon appeared).
  for (int I = 0; I < 200 && !lttng_ust_tracepoint_enabled(k42bench, event);
       ++I)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  if (!lttng_ust_tracepoint_enabled(k42bench, event)) {
    std::fprintf(stderr, "bench-trace: the LTTng tracepoint never became "
                         "enabled; is lttng-sessiond usable here?\n");
    return 1;
  }

  std::vector<double> K42Ns, LttngNs, DisabledNs, EmptyNs;
  uint64_t Lost = 0, Read = 0;
  // One warm-up round of each, not kept.
  for (int Round = -1; Round < Rounds; ++Round) {
    Region->header().Enabled.store(1);
    double K = k42Round();
    Region->header().Enabled.store(0);
    Lost += drain(*Region, Read);
    double L = lttngRound();
    double D = disabledRound();
    double E = emptyRound();
    if (Round < 0) {
      Read = 0;
      continue;
    }
    K42Ns.push_back(K);
    LttngNs.push_back(L);
    DisabledNs.push_back(D);
    EmptyNs.push_back(E);
  }
  double K = median(K42Ns), L = median(LttngNs), D = median(DisabledNs);
  double E = median(EmptyNs);
  std::printf("events per round:          %d enabled, %d disabled; rounds: "
              "%d (medians)\n",
              EventsPerRound, DisabledPerRound, Rounds);
  std::printf("k42 event, enabled:        %8.1f ns  (%llu recorded, %llu "
              "refused)\n",
              K, static_cast<unsigned long long>(Read),
              static_cast<unsigned long long>(Lost));
  std::printf("lttng-ust tracepoint:      %8.1f ns  (snapshot session, "
              "overwrite channel, recording)\n",
              L);
  std::printf("lttng snapshot afterwards:  %llu bytes of recorded trace\n",
              static_cast<unsigned long long>(Session.snapshotBytes()));
  std::printf("k42 event site, disabled:  %8.2f ns  (an empty loop: %.2f "
              "ns)\n",
              D, E);
  std::printf("RESULT trace_event_vs_lttng ratio=%.2f\n", K / L);
  std::printf("RESULT trace_disabled_ns value=%.2f\n", D);
  return 0;
}
