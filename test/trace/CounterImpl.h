//===- test/trace/CounterImpl.h - The counter -------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The counter the trace test server exports.
///
//===----------------------------------------------------------------------===//

#ifndef K42_TEST_TRACE_COUNTERIMPL_H
#define K42_TEST_TRACE_COUNTERIMPL_H

#include "Counter.h"

#include <atomic>

namespace tracetest {

/// An atomic total, so concurrent clients need no lock.
class CounterImpl final : public Counter {
public:
  k42::Status add(uint64_t Amount, uint64_t &Total) override {
    Total = Sum.fetch_add(Amount, std::memory_order_relaxed) + Amount;
    return k42::Status::ok();
  }

private:
  std::atomic<uint64_t> Sum{0};
};

} // namespace tracetest

#endif // K42_TEST_TRACE_COUNTERIMPL_H
