// SPDX-License-Identifier: Apache-2.0
// stubc-0001, bad: an exported method that is not virtual.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s
// RUN: not %stubc --emit=json %s -- %k42_cxxflags -fdiagnostics-parseable-fixits 2>&1 | FileCheck %s --check-prefix=FIXIT
// After an error stubc writes nothing at all.
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>/dev/null | count 0

#include <k42/idl.h>

#include <cstdint>

class K42_EXPORT Pager {
public:
  virtual ~Pager() = default;

  // CHECK: 0001-method-not-virtual.bad.h:[[@LINE+5]]:15: error: exported method 'fault' must be virtual: the X object calls the implementation through it [stubc-0001]
  // CHECK-NEXT: [[@LINE+4]] | k42::Status fault(uint64_t Address);
  // CHECK-NEXT: {{^ +[|] +\^$}}
  // CHECK-NEXT: {{^ +[|] +virtual $}}
  // FIXIT: fix-it:"{{.*}}0001-method-not-virtual.bad.h":{[[@LINE+1]]:3-[[@LINE+1]]:3}:"virtual "
  k42::Status fault(uint64_t Address);
};

// CHECK-NOT: error:
// CHECK: {{^}}1 error generated.
