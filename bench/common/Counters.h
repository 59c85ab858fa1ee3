//===- bench/common/Counters.h - Counters for the cobj benchmarks -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The counter the clustered-object benchmarks call, in two
/// implementations: a rep per processor (increments touch only memory of
/// the caller's processor; the value sums the reps) and one shared rep.
///
//===----------------------------------------------------------------------===//

#ifndef K42_BENCH_COMMON_COUNTERS_H
#define K42_BENCH_COMMON_COUNTERS_H

#include <k42/cobj/PerProcessorRoot.h>

#include <atomic>
#include <cstdint>

namespace bench {

class Counter {
public:
  virtual ~Counter() = default;
  virtual void inc() = 0;
  /// Counts \p N at once (how a swap moves the count).
  virtual void add(uint64_t N) = 0;
  virtual uint64_t value() = 0;
};

class SpreadCounter final : public Counter {
public:
  using RootType = k42::cobj::PerProcessorRoot<Counter, SpreadCounter>;
  SpreadCounter(RootType &Root, uint32_t) : Root(Root) {}
  void inc() override { N.fetch_add(1, std::memory_order_relaxed); }
  void add(uint64_t V) override { N.fetch_add(V); }
  uint64_t value() override {
    uint64_t Sum = 0;
    Root.forEachRep([&](SpreadCounter &R) { Sum += R.N.load(); });
    return Sum;
  }

private:
  RootType &Root;
  alignas(64) std::atomic<uint64_t> N{0};
};

class SharedCounter final : public Counter {
public:
  void inc() override { N.fetch_add(1, std::memory_order_relaxed); }
  void add(uint64_t V) override { N.fetch_add(V); }
  uint64_t value() override { return N.load(); }

private:
  std::atomic<uint64_t> N{0};
};

} // namespace bench

#endif // K42_BENCH_COMMON_COUNTERS_H
