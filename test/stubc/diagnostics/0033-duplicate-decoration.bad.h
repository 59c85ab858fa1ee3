// SPDX-License-Identifier: Apache-2.0
//
// stubc-0033 (decoration given twice): the bad example.
// See stubc/docs/diagnostics/stubc-0033.md.
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
// CHECK: 0033-duplicate-decoration.bad.h:[[@LINE+3]]:14: error: K42_ONEWAY is given more than once on 'tick' [stubc-0033]
// CHECK-NEXT: {{^ *[0-9]+ [|]}} K42_ONEWAY K42_ONEWAY virtual void tick(uint64_t Now) = 0;
// CHECK-NEXT: {{^ +[|] +[~ ]*\^}}
  K42_ONEWAY K42_ONEWAY virtual void tick(uint64_t Now) = 0;
};

// CHECK: {{^}}1 error generated.
