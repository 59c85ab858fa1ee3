// SPDX-License-Identifier: Apache-2.0
// stubc-0032, good: the span carries its own size; K42_LENGTH sits on the
// pointer and names the count.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "name": "write",
// CHECK: "kind": "span",
// CHECK: "name": "Data",
// CHECK: "name": "read",
// CHECK: "kind": "rawBuffer",
// CHECK: "length": "Size",
// CHECK: "name": "Data",
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>
#include <span>

class K42_EXPORT BlockDevice {
public:
  virtual ~BlockDevice() = default;

  virtual k42::Status write(std::span<const uint8_t> Data) = 0;
  virtual k42::Status read(K42_LENGTH(Size) uint8_t *Data, uint32_t Size) = 0;
};
