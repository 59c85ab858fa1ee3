// SPDX-License-Identifier: Apache-2.0
// stubc-0023, bad: K42_METHOD_ID(0).
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>

class K42_EXPORT Clock {
public:
  virtual ~Clock() = default;

  // CHECK: 0023-bad-constant-argument.bad.h:[[@LINE+4]]:3: error: K42_METHOD_ID needs an integer constant from 1 to 4294967295 [stubc-0023]
  // CHECK-NEXT: [[@LINE+3]] | K42_METHOD_ID(0) virtual k42::Status now(uint64_t &Ticks) = 0;
  // CHECK-NEXT: {{^ +[|] +\^$}}
  // CHECK-NEXT: note: expanded from macro 'K42_METHOD_ID'
  K42_METHOD_ID(0) virtual k42::Status now(uint64_t &Ticks) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}1 error generated.
