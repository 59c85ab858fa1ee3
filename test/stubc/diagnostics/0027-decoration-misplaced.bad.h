// SPDX-License-Identifier: Apache-2.0
// stubc-0027, bad: K42_REQUIRES on a method of a class that is not exported.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

class Console {
public:
  virtual ~Console() = default;

  // CHECK: 0027-decoration-misplaced.bad.h:[[@LINE+4]]:3: error: K42_REQUIRES does not apply to a method of a class that is not K42_EXPORT [stubc-0027]
  // CHECK-NEXT: [[@LINE+3]] | K42_REQUIRES(admin) virtual k42::Status reset() = 0;
  // CHECK-NEXT: {{^ +[|] +\^$}}
  // CHECK-NEXT: note: expanded from macro 'K42_REQUIRES'
  K42_REQUIRES(admin) virtual k42::Status reset() = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}1 error generated.
