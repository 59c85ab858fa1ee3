//===- test/system/Tally.h - A counter to swap under load -------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The interface of the hot-swap system test: a counter that k42-lab-server
/// serves as a clustered object and swaps between two implementations
/// while clients call it.
///
//===----------------------------------------------------------------------===//

#ifndef K42_TEST_SYSTEM_TALLY_H
#define K42_TEST_SYSTEM_TALLY_H

#include <k42/idl.h>

#include <cstdint>

namespace labtest {

class K42_EXPORT K42_RIGHTS(use) K42_DEFAULT_REQUIRES(use) Tally {
public:
  virtual ~Tally() = default;
  /// Counts one call.
  virtual k42::Status inc() = 0;
  /// Counts \p N at once (how a swap moves the count to the new object).
  virtual k42::Status add(uint64_t N) = 0;
  /// The count; whether the server's swapping is over, how many calls its
  /// own threads made meanwhile, and how many swaps it did.
  virtual k42::Status stats(uint64_t &Value, bool &SwapsDone,
                            uint64_t &LocalCalls, uint32_t &Swaps) = 0;
};

} // namespace labtest

#endif // K42_TEST_SYSTEM_TALLY_H
