// SPDX-License-Identifier: Apache-2.0
//
// stubc-0023 (K42_VERSION or K42_METHOD_ID out of range): the bad example.
// See stubc/docs/diagnostics/stubc-0023.md.
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

class K42_EXPORT Clock {
public:
  virtual ~Clock() = default;
// CHECK: 0023-bad-constant-argument.bad.h:[[@LINE+3]]:3: error: K42_METHOD_ID needs an integer constant from 1 to 4294967295 [stubc-0023]
// CHECK-NEXT: {{^ *[0-9]+ [|]}} K42_METHOD_ID(0) virtual k42::Status now(uint64_t &Ticks) = 0;
// CHECK-NEXT: {{^ +[|] +[~ ]*\^}}
  K42_METHOD_ID(0) virtual k42::Status now(uint64_t &Ticks) = 0;
};

// CHECK: {{^}}1 error generated.
