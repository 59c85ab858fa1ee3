// SPDX-License-Identifier: Apache-2.0
//
// stubc-0023 (K42_VERSION or K42_METHOD_ID out of range): the good example, with no diagnostics.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "explicitId": true
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

class K42_EXPORT Clock {
public:
  virtual ~Clock() = default;
  K42_METHOD_ID(1) virtual k42::Status now(uint64_t &Ticks) = 0;
};
