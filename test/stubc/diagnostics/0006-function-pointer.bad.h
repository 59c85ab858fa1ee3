// SPDX-License-Identifier: Apache-2.0
// stubc-0006, bad: a callback passed as a function pointer.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>

class K42_EXPORT Timer {
public:
  virtual ~Timer() = default;

  // CHECK: 0006-function-pointer.bad.h:[[@LINE+4]]:47: error: parameter 'Fire' is a function pointer; code addresses mean nothing in another address space [stubc-0006]
  // CHECK-NEXT: [[@LINE+3]] | virtual k42::Status arm(uint64_t Ns, void (*Fire)(uint64_t)) = 0;
  // CHECK-NEXT: {{^ +[|] +\^$}}
  // CHECK: 0006-function-pointer.bad.h:[[@LINE+3]]:49: error: parameter 'Fire' is a function pointer; code addresses mean nothing in another address space [stubc-0006]
  virtual k42::Status arm(uint64_t Ns, void (*Fire)(uint64_t)) = 0;
  // A reference to a function is a code address too.
  virtual k42::Status every(uint64_t Ns, void (&Fire)(uint64_t)) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}2 errors generated.
