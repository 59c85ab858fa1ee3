// SPDX-License-Identifier: Apache-2.0
// stubc-0030, bad: K42_INOUT on a parameter taken by value.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <string>

class K42_EXPORT Editor {
public:
  virtual ~Editor() = default;

  // CHECK: 0030-inout-not-reference.bad.h:[[@LINE+3]]:50: error: K42_INOUT parameter 'Text' must be a non-const reference [stubc-0030]
  // CHECK-NEXT: [[@LINE+2]] | virtual k42::Status edit(K42_INOUT std::string Text) = 0;
  // CHECK-NEXT: {{^ +[|] +\^$}}
  virtual k42::Status edit(K42_INOUT std::string Text) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}1 error generated.
