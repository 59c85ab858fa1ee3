// SPDX-License-Identifier: Apache-2.0
// stubc-0033, good: each decoration once; several rights go in one
// K42_REQUIRES.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "name": "tick",
// CHECK-NEXT: "oneWay": true,
// CHECK: "name": "copy",
// CHECK: "requiredMask": "0x0000000000000003",
// CHECK-NEXT: "requiredRights": [
// CHECK-NEXT: "read",
// CHECK-NEXT: "write"
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>

class K42_EXPORT K42_RIGHTS(read, write) K42_VERSION(3) Clock {
public:
  virtual ~Clock() = default;

  K42_ONEWAY virtual void tick(uint64_t Now) = 0;
  K42_REQUIRES(read, write)
  virtual k42::Status copy(uint64_t From, uint64_t To) = 0;
};
