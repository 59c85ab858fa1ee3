// SPDX-License-Identifier: Apache-2.0
// stubc-0015, bad: two K42_CALLER parameters in one method.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <string_view>

class K42_EXPORT Auth {
public:
  virtual ~Auth() = default;

  // CHECK: 0015-caller-twice.bad.h:[[@LINE+8]]:58: error: K42_CALLER is used more than once in 'check' [stubc-0015]
  // CHECK-NEXT: [[@LINE+7]] | K42_CALLER const k42::Badge &Owner) = 0;
  // CHECK-NEXT: {{^ +[|] +\^$}}
  // CHECK-NEXT: 0015-caller-twice.bad.h:[[@LINE+3]]:58: note: first K42_CALLER parameter is here
  // CHECK-NEXT: [[@LINE+2]] | virtual k42::Status check(K42_CALLER const k42::Badge &Caller,
  // CHECK-NEXT: {{^ +[|] +\^$}}
  virtual k42::Status check(K42_CALLER const k42::Badge &Caller,
                            std::string_view Path,
                            K42_CALLER const k42::Badge &Owner) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}1 error generated.
