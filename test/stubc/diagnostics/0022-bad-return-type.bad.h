// SPDX-License-Identifier: Apache-2.0
//
// stubc-0022 (exported method returns something other than k42::Status): the bad example.
// See stubc/docs/diagnostics/stubc-0022.md.
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
// CHECK: 0022-bad-return-type.bad.h:[[@LINE+3]]:20: error: exported method 'now' returns 'uint64_t' (aka 'unsigned long'); exported methods return k42::Status (one-way methods return void) [stubc-0022]
// CHECK-NEXT: {{^ *[0-9]+ [|]}} virtual uint64_t now() = 0;
// CHECK-NEXT: {{^ +[|] +[~ ]*\^}}
  virtual uint64_t now() = 0;
};

// CHECK: {{^}}1 error generated.
