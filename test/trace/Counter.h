//===- test/trace/Counter.h - A traced interface ----------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The interface of the trace system tests: K42_TRACE makes the generated
/// XCounter record an event as each call starts and as it returns.
///
//===----------------------------------------------------------------------===//

#ifndef K42_TEST_TRACE_COUNTER_H
#define K42_TEST_TRACE_COUNTER_H

#include <k42/idl.h>

#include <cstdint>

namespace tracetest {

/// A counter shared by every client.
class K42_EXPORT K42_TRACE Counter {
public:
  virtual ~Counter() = default;

  /// Adds \p Amount and says what the total is now.
  virtual k42::Status add(uint64_t Amount, uint64_t &Total) = 0;
};

} // namespace tracetest

#endif // K42_TEST_TRACE_COUNTER_H
