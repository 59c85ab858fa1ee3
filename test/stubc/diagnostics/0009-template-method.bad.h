// SPDX-License-Identifier: Apache-2.0
// stubc-0009, bad: a member function template among the exported methods.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <string_view>

class K42_EXPORT Registry {
public:
  virtual ~Registry() = default;

  // CHECK: 0009-template-method.bad.h:[[@LINE+4]]:15: error: exported method 'put' is a template; a stub needs one concrete signature per method [stubc-0009]
  // CHECK-NEXT: [[@LINE+3]] | k42::Status put(std::string_view Key, T Value);
  // CHECK-NEXT: {{^ +[|] +\^$}}
  template <typename T>
  k42::Status put(std::string_view Key, T Value);
};

// CHECK-NOT: error:
// CHECK: {{^}}1 error generated.
