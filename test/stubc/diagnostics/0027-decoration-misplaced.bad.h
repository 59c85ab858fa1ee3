// SPDX-License-Identifier: Apache-2.0
//
// stubc-0027 (decoration where it does not apply): the bad example.
// See stubc/docs/diagnostics/stubc-0027.md.
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

class Helper {
public:
// CHECK: 0027-decoration-misplaced.bad.h:[[@LINE+3]]:3: error: K42_REQUIRES does not apply to a method of a class that is not K42_EXPORT [stubc-0027]
// CHECK-NEXT: {{^ *[0-9]+ [|]}} K42_REQUIRES(admin) virtual k42::Status reset() = 0;
// CHECK-NEXT: {{^ +[|] +[~ ]*\^}}
  K42_REQUIRES(admin) virtual k42::Status reset() = 0;
};

// CHECK: {{^}}1 error generated.
