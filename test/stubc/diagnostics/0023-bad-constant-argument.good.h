// SPDX-License-Identifier: Apache-2.0
// stubc-0023, good: a version from 1 and method ids from 1 to 0xffffffff.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "explicitId": true,
// CHECK: "id": 1,
// CHECK: "name": "now",
// CHECK: "explicitId": true,
// CHECK: "id": 4294967295,
// CHECK: "name": "set",
// CHECK: "name": "Clock",
// CHECK: "version": 2
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>

class K42_EXPORT K42_VERSION(2) Clock {
public:
  virtual ~Clock() = default;

  K42_METHOD_ID(1) virtual k42::Status now(uint64_t &Ticks) = 0;
  K42_METHOD_ID(0xffffffff) virtual k42::Status set(uint64_t When) = 0;
};
