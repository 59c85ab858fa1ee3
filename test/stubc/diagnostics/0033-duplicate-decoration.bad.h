// SPDX-License-Identifier: Apache-2.0
// stubc-0033, bad: K42_ONEWAY written twice on one method.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>

class K42_EXPORT Clock {
public:
  virtual ~Clock() = default;

  // The second one is reported.
  // CHECK: 0033-duplicate-decoration.bad.h:[[@LINE+4]]:14: error: K42_ONEWAY is given more than once on 'tick' [stubc-0033]
  // CHECK-NEXT: [[@LINE+3]] | K42_ONEWAY K42_ONEWAY virtual void tick(uint64_t Now) = 0;
  // CHECK-NEXT: {{^ +[|] +\^$}}
  // CHECK-NEXT: note: expanded from macro 'K42_ONEWAY'
  K42_ONEWAY K42_ONEWAY virtual void tick(uint64_t Now) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}1 error generated.
