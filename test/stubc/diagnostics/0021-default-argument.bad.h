// SPDX-License-Identifier: Apache-2.0
// stubc-0021, bad: a default argument on an exported method.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s
// RUN: not %stubc --emit=json %s -- %k42_cxxflags -fdiagnostics-parseable-fixits 2>&1 | FileCheck %s --check-prefix=FIXIT

#include <k42/idl.h>

#include <cstdint>

class K42_EXPORT Pager {
public:
  virtual ~Pager() = default;

  // CHECK: 0021-default-argument.bad.h:[[@LINE+4]]:59: error: parameter 'Pages' of exported method 'prefetch' has a default argument, which the stub cannot carry [stubc-0021]
  // CHECK-NEXT: [[@LINE+3]] | virtual k42::Status prefetch(uint64_t Address, uint32_t Pages = 1) = 0;
  // CHECK-NEXT: {{^ +[|] +\^ +~+$}}
  // FIXIT: fix-it:"{{.*}}0021-default-argument.bad.h":{[[@LINE+1]]:64-[[@LINE+1]]:68}:""
  virtual k42::Status prefetch(uint64_t Address, uint32_t Pages = 1) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}1 error generated.
