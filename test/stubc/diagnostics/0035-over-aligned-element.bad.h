// SPDX-License-Identifier: Apache-2.0
// stubc-0035, bad: a span of 16-byte aligned elements.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <span>

struct alignas(16) Vec4 {
  float V[4];
};

class K42_EXPORT Gpu {
public:
  virtual ~Gpu() = default;

  // CHECK: 0035-over-aligned-element.bad.h:[[@LINE+3]]:52: error: parameter 'Vertices' carries elements of type 'Vec4' aligned to 16 bytes; PPC pages align arrays to at most 8 [stubc-0035]
  // CHECK-NEXT: [[@LINE+2]] | virtual k42::Status upload(std::span<const Vec4> Vertices) = 0;
  // CHECK-NEXT: {{^ +[|] +\^$}}
  virtual k42::Status upload(std::span<const Vec4> Vertices) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}1 error generated.
