// SPDX-License-Identifier: Apache-2.0
// stubc-0031, bad: a vector of strings.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <string>
#include <vector>

class K42_EXPORT Index {
public:
  virtual ~Index() = default;

  // CHECK: 0031-element-not-trivially-copyable.bad.h:[[@LINE+3]]:59: error: parameter 'Keys' carries elements of type 'std::string' (aka 'basic_string<char>'), which are not trivially copyable [stubc-0031]
  // CHECK-NEXT: [[@LINE+2]] | virtual k42::Status add(const std::vector<std::string> &Keys) = 0;
  // CHECK-NEXT: {{^ +[|] +\^$}}
  virtual k42::Status add(const std::vector<std::string> &Keys) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}1 error generated.
