// SPDX-License-Identifier: Apache-2.0
//
// stubc-0020 (exported class template): the bad example.
// See stubc/docs/diagnostics/stubc-0020.md.
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

template <typename T>
// CHECK: 0020-template-interface.bad.h:[[@LINE+3]]:18: error: exported class 'Queue' is a template; export a concrete class [stubc-0020]
// CHECK-NEXT: {{^ *[0-9]+ [|]}} class K42_EXPORT Queue {
// CHECK-NEXT: {{^ +[|] +[~ ]*\^}}
class K42_EXPORT Queue {
public:
  virtual ~Queue() = default;
};

// CHECK: {{^}}1 error generated.
