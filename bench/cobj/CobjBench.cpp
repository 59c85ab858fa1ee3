//===- bench/cobj/CobjBench.cpp - Clustered vs shared counter -------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Increments per second, with one thread pinned to each of two
/// processors, of:
///
///   clustered  a per-processor clustered counter called through its
///              Ref (translation-table lookup of the caller's rep, a
///              quiescence section, a virtual call, an increment of memory
///              only that processor writes);
///   atomic     one std::atomic<uint64_t> both threads fetch_add (the
///              cache line travels between the processors on every add).
///
/// Rounds are interleaved and each keeps its median. Prints the rates and
/// RESULT cobj_counter_vs_atomic (clustered rate / atomic rate; goal >= 5).
///
//===----------------------------------------------------------------------===//

#include "Counters.h"

#include <k42/cobj/Ref.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <sched.h>
#include <thread>
#include <vector>

using namespace k42::cobj;
using bench::Counter;
using CounterRep = bench::SpreadCounter;

namespace {

constexpr int Rounds = 9;
constexpr uint64_t PerThread = 5'000'000;

double median(std::vector<double> V) {
  std::sort(V.begin(), V.end());
  return V[V.size() / 2];
}

/// Increments per second of two threads, pinned to \p Cpus, each running
/// \p Body PerThread times.
template <typename Fn> double rate(const std::vector<int> &Cpus, Fn &&Body) {
  std::atomic<int> Ready{0};
  std::atomic<bool> Go{false};
  std::vector<std::thread> Threads;
  for (int Cpu : Cpus)
    Threads.emplace_back([&, Cpu] {
      cpu_set_t One;
      CPU_ZERO(&One);
      CPU_SET(Cpu, &One);
      sched_setaffinity(0, sizeof(One), &One);
      Ready.fetch_add(1);
      while (!Go.load())
        ;
      for (uint64_t I = 0; I < PerThread; ++I)
        Body();
    });
  while (Ready.load() != int(Cpus.size()))
    ;
  auto Start = std::chrono::steady_clock::now();
  Go = true;
  for (std::thread &T : Threads)
    T.join();
  double Seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - Start)
          .count();
  return double(PerThread * Cpus.size()) / Seconds;
}

} // namespace

int main() {
  cpu_set_t Set;
  std::vector<int> Cpus;
  if (sched_getaffinity(0, sizeof(Set), &Set) == 0)
    for (int I = 0; I < CPU_SETSIZE && Cpus.size() < 2; ++I)
      if (CPU_ISSET(I, &Set))
        Cpus.push_back(I);
  if (Cpus.size() < 2) {
    std::fprintf(stderr, "bench-cobj: needs two processors\n");
    return 1;
  }
  auto Made = Ref<Counter>::create(std::make_unique<CounterRep::RootType>());
  if (!Made)
    return 1;
  Ref<Counter> Clustered = *Made;
  alignas(64) std::atomic<uint64_t> Shared{0};

  std::vector<double> ClusteredRate, AtomicRate;
  for (int Round = 0; Round < Rounds; ++Round) {
    ClusteredRate.push_back(rate(Cpus, [&] { Clustered->inc(); }));
    AtomicRate.push_back(
        rate(Cpus, [&] { Shared.fetch_add(1, std::memory_order_relaxed); }));
  }
  uint64_t Want = uint64_t(Rounds) * PerThread * Cpus.size();
  if (Clustered->value() != Want || Shared.load() != Want) {
    std::fprintf(stderr, "bench-cobj: lost increments\n");
    return 1;
  }
  double C = median(ClusteredRate), A = median(AtomicRate);
  std::printf("increments per round:      %llu on each of 2 processors, "
              "rounds: %d (medians)\n",
              static_cast<unsigned long long>(PerThread), Rounds);
  std::printf("clustered counter:         %.1f M/s\n", C / 1e6);
  std::printf("shared std::atomic:        %.1f M/s\n", A / 1e6);
  std::printf("goal: clustered/atomic >= 5\n");
  std::printf("RESULT cobj_counter_vs_atomic ratio=%.2f\n", C / A);
  return 0;
}
