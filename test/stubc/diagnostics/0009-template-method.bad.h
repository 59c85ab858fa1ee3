// SPDX-License-Identifier: Apache-2.0
//
// stubc-0009 (exported method is a template): the bad example.
// See stubc/docs/diagnostics/stubc-0009.md.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

class K42_EXPORT Store {
public:
  virtual ~Store() = default;
// CHECK: 0009-template-method.bad.h:[[@LINE+3]]:37: error: exported method 'put' is a template; a stub needs one concrete signature per method [stubc-0009]
// CHECK-NEXT: {{^ *[0-9]+ [|]}} template <typename T> k42::Status put(T Value);
// CHECK-NEXT: {{^ +[|] +[~ ]*\^}}
  template <typename T> k42::Status put(T Value);
};

// CHECK: {{^}}1 error generated.
