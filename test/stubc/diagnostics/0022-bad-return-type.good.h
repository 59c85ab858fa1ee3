// SPDX-License-Identifier: Apache-2.0
// stubc-0022, good: results come back in out parameters, the status in the
// return value; a void method is one-way.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "name": "now",
// CHECK-NEXT: "oneWay": false,
// CHECK: "direction": "out",
// CHECK: "name": "Ticks",
// CHECK: "name": "tick",
// CHECK-NEXT: "oneWay": true,
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>

class K42_EXPORT Clock {
public:
  virtual ~Clock() = default;

  virtual k42::Status now(uint64_t &Ticks) = 0;
  K42_ONEWAY virtual void tick(uint64_t Now) = 0;
};
