// SPDX-License-Identifier: Apache-2.0
//
// stubc-0035 (array elements aligned beyond 8 bytes): the good example, with no diagnostics.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "elementType": "Vec4"
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

struct Vec4 {
  float V[4];
};
class K42_EXPORT Gpu {
public:
  virtual ~Gpu() = default;
  virtual k42::Status upload(std::span<const Vec4> Vertices) = 0;
};
