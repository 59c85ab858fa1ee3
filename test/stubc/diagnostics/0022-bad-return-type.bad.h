// SPDX-License-Identifier: Apache-2.0
// stubc-0022, bad: an exported method that returns its result directly.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>

class K42_EXPORT Clock {
public:
  virtual ~Clock() = default;

  // CHECK: 0022-bad-return-type.bad.h:[[@LINE+3]]:20: error: exported method 'now' returns 'uint64_t' (aka 'unsigned long'); exported methods return k42::Status (one-way methods return void) [stubc-0022]
  // CHECK-NEXT: [[@LINE+2]] | virtual uint64_t now() = 0;
  // CHECK-NEXT: {{^ +[|] +\^$}}
  virtual uint64_t now() = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}1 error generated.
