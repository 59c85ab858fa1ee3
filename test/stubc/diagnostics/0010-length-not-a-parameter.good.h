// SPDX-License-Identifier: Apache-2.0
// stubc-0010, good: K42_LENGTH names the count parameter, which may come
// before or after the pointer.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "name": "write",
// CHECK: "direction": "in",
// CHECK: "kind": "rawBuffer",
// CHECK: "length": "Size",
// CHECK: "name": "Data",
// CHECK: "isLength": true,
// CHECK: "name": "Size",
// CHECK: "name": "read",
// CHECK: "isLength": true,
// CHECK: "name": "Size",
// CHECK: "direction": "out",
// CHECK: "kind": "rawBuffer",
// CHECK: "length": "Size",
// CHECK: "name": "Data",
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>

class K42_EXPORT BlockDevice {
public:
  virtual ~BlockDevice() = default;

  virtual k42::Status write(uint64_t Lba, K42_LENGTH(Size) const uint8_t *Data,
                            uint32_t Size) = 0;
  virtual k42::Status read(uint64_t Lba, uint32_t Size,
                           K42_LENGTH(Size) uint8_t *Data) = 0;
};
