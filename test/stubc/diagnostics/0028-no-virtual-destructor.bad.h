// SPDX-License-Identifier: Apache-2.0
//
// stubc-0028 (interface without a virtual destructor): the bad example.
// See stubc/docs/diagnostics/stubc-0028.md.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// CHECK: 0028-no-virtual-destructor.bad.h:[[@LINE+3]]:18: warning: exported interface 'Pager' has no virtual destructor; deleting an implementation through it is undefined [stubc-0028]
// CHECK-NEXT: {{^ *[0-9]+ [|]}} class K42_EXPORT Pager {
// CHECK-NEXT: {{^ +[|] +[~ ]*\^}}
class K42_EXPORT Pager {
public:
  virtual k42::Status fault(uint64_t Address) = 0;
};

// CHECK: {{^}}1 warning generated.
