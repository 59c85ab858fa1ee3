// SPDX-License-Identifier: Apache-2.0
//
// stubc-0007 (type with no marshalling rule): the bad example.
// See stubc/docs/diagnostics/stubc-0007.md.
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

#include <memory>
class K42_EXPORT Cache {
public:
  virtual ~Cache() = default;
// CHECK: 0007-no-marshalling-rule.bad.h:[[@LINE+4]]:48: error: parameter 'Value' has type 'std::unique_ptr<int>', which is not trivially copyable and has no marshalling rule [stubc-0007]
// CHECK-NEXT: {{^ *[0-9]+ [|]}} virtual k42::Status put(std::unique_ptr<int> Value) = 0;
// CHECK-NEXT: {{^ +[|] +[~ ]*\^}}
// CHECK: note: supported: arithmetic and enum types
  virtual k42::Status put(std::unique_ptr<int> Value) = 0;
};

// CHECK: {{^}}1 error generated.
