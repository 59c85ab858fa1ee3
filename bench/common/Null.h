//===- bench/common/Null.h - The null-call interface ------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The smallest call that still crosses every layer: a rights check, an
/// empty request and an empty reply.
///
//===----------------------------------------------------------------------===//

#ifndef K42_BENCH_COMMON_NULL_H
#define K42_BENCH_COMMON_NULL_H

#include <k42/idl.h>

namespace bench {

class K42_EXPORT K42_RIGHTS(call) Null {
public:
  virtual ~Null() = default;
  K42_REQUIRES(call) virtual k42::Status ping() = 0;
};

} // namespace bench

#endif // K42_BENCH_COMMON_NULL_H
