// SPDX-License-Identifier: Apache-2.0
// stubc-0025, bad: a private K42_STATE field without K42_STATE_ACCESS.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s
// RUN: not %stubc --emit=json %s -- %k42_cxxflags -fdiagnostics-parseable-fixits 2>&1 | FileCheck %s --check-prefix=FIXIT

#include <k42/idl.h>

#include <cstdint>

class Counter {
public:
  void increment() { ++Value; }

private:
  // CHECK: 0025-state-not-accessible.bad.h:[[@LINE+4]]:22: error: K42_STATE field 'Value' is not public and 'Counter' does not grant the generated StateCounter access [stubc-0025]
  // CHECK-NEXT: [[@LINE+3]] | K42_STATE uint64_t Value = 0;
  // CHECK-NEXT: {{^ +[|] +\^$}}
  // FIXIT: fix-it:"{{.*}}0025-state-not-accessible.bad.h":{[[@LINE+1]]:1-[[@LINE+1]]:1}:"  K42_STATE_ACCESS(Counter);\n"
  K42_STATE uint64_t Value = 0;
  // Only the first such field is reported.
  K42_STATE uint64_t Resets = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}1 error generated.
