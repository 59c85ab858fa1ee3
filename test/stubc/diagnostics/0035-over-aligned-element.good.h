// SPDX-License-Identifier: Apache-2.0
// stubc-0035, good: the element type keeps its natural 4-byte alignment; the
// server copies into aligned storage if it needs it.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "direction": "in",
// CHECK-NEXT: "elementType": "Vec4",
// CHECK-NEXT: "kind": "span",
// CHECK-NEXT: "name": "Vertices",
// CHECK-NEXT: "size": 16,
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <span>

struct Vec4 {
  float V[4];
};

class K42_EXPORT Gpu {
public:
  virtual ~Gpu() = default;

  virtual k42::Status upload(std::span<const Vec4> Vertices) = 0;
};
