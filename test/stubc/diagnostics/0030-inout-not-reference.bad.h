// SPDX-License-Identifier: Apache-2.0
//
// stubc-0030 (K42_INOUT on an in parameter): the bad example.
// See stubc/docs/diagnostics/stubc-0030.md.
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

class K42_EXPORT Editor {
public:
  virtual ~Editor() = default;
// CHECK: 0030-inout-not-reference.bad.h:[[@LINE+3]]:50: error: K42_INOUT parameter 'Text' must be a non-const reference [stubc-0030]
// CHECK-NEXT: {{^ *[0-9]+ [|]}} virtual k42::Status edit(K42_INOUT std::string Text) = 0;
// CHECK-NEXT: {{^ +[|] +[~ ]*\^}}
  virtual k42::Status edit(K42_INOUT std::string Text) = 0;
};

// CHECK: {{^}}1 error generated.
