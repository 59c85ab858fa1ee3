// SPDX-License-Identifier: Apache-2.0
// stubc-0005, good: each buffer says how many elements it holds, by
// K42_LENGTH or by being a span.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "name": "log",
// CHECK: "direction": "in",
// CHECK: "kind": "rawBuffer",
// CHECK: "length": "Size",
// CHECK: "name": "Line",
// CHECK: "name": "read",
// CHECK: "direction": "out",
// CHECK: "kind": "span",
// CHECK: "name": "Buffer",
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>
#include <span>

class K42_EXPORT Logger {
public:
  virtual ~Logger() = default;

  virtual k42::Status log(K42_LENGTH(Size) const char *Line, uint32_t Size) = 0;
  virtual k42::Status read(std::span<uint8_t> Buffer) = 0;
};
