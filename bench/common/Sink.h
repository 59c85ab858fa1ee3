//===- bench/common/Sink.h - A call that carries a buffer in ----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The interface the large-buffer benchmark calls: one method that takes a
/// buffer in and answers with its size, so the call costs what moving the
/// buffer costs and nothing the server does with it.
///
//===----------------------------------------------------------------------===//

#ifndef K42_BENCH_COMMON_SINK_H
#define K42_BENCH_COMMON_SINK_H

#include <k42/idl.h>

#include <cstdint>
#include <span>

namespace bench {

class K42_EXPORT K42_RIGHTS(call) Sink {
public:
  virtual ~Sink() = default;
  /// Takes \p Data and tells how many bytes arrived.
  K42_REQUIRES(call)
  virtual k42::Status take(std::span<const uint8_t> Data, uint64_t &Bytes) = 0;
};

} // namespace bench

#endif // K42_BENCH_COMMON_SINK_H
