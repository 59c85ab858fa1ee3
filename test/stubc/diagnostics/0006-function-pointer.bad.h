// SPDX-License-Identifier: Apache-2.0
//
// stubc-0006 (function pointer parameter): the bad example.
// See stubc/docs/diagnostics/stubc-0006.md.
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

class K42_EXPORT Timer {
public:
  virtual ~Timer() = default;
// CHECK: 0006-function-pointer.bad.h:[[@LINE+3]]:47: error: parameter 'Fire' is a function pointer; code addresses mean nothing in another address space [stubc-0006]
// CHECK-NEXT: {{^ *[0-9]+ [|]}} virtual k42::Status arm(uint64_t Ns, void (*Fire)(uint64_t)) = 0;
// CHECK-NEXT: {{^ +[|] +[~ ]*\^}}
  virtual k42::Status arm(uint64_t Ns, void (*Fire)(uint64_t)) = 0;
};

// CHECK: {{^}}1 error generated.
