// SPDX-License-Identifier: Apache-2.0
// stubc-0022, bad: a void method without K42_ONEWAY, and a method returning
// a reference to a status.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>

class K42_EXPORT Clock {
public:
  virtual ~Clock() = default;

  // CHECK: 0022-bad-return-type-void.bad.h:[[@LINE+2]]:16: error: exported method 'tick' returns 'void'; exported methods return k42::Status (one-way methods return void) [stubc-0022]
  // CHECK: 0022-bad-return-type-void.bad.h:[[@LINE+2]]:24: error: exported method 'last' returns 'k42::Status &'; exported methods return k42::Status (one-way methods return void) [stubc-0022]
  virtual void tick(uint64_t Now) = 0;
  virtual k42::Status &last() = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}2 errors generated.
