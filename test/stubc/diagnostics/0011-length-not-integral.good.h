// SPDX-License-Identifier: Apache-2.0
// stubc-0011, good: the count is an integer passed by value; how much was
// read comes back in a separate out parameter (or use std::vector).
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "name": "play",
// CHECK: "kind": "rawBuffer",
// CHECK: "length": "Frames",
// CHECK: "isLength": true,
// CHECK: "name": "Frames",
// CHECK: "name": "read",
// CHECK: "direction": "out",
// CHECK: "kind": "rawBuffer",
// CHECK: "length": "Capacity",
// CHECK: "name": "Data",
// CHECK: "isLength": true,
// CHECK: "name": "Capacity",
// CHECK: "direction": "out",
// CHECK: "kind": "scalar",
// CHECK: "name": "Read",
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>

class K42_EXPORT Audio {
public:
  virtual ~Audio() = default;

  virtual k42::Status play(K42_LENGTH(Frames) const int16_t *Samples,
                           uint32_t Frames) = 0;
};

class K42_EXPORT Pipe {
public:
  virtual ~Pipe() = default;

  virtual k42::Status read(K42_LENGTH(Capacity) uint8_t *Data,
                           uint32_t Capacity, uint32_t &Read) = 0;
};
