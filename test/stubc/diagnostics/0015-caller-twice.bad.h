// SPDX-License-Identifier: Apache-2.0
//
// stubc-0015 (K42_CALLER used twice): the bad example.
// See stubc/docs/diagnostics/stubc-0015.md.
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

class K42_EXPORT Auth {
public:
  virtual ~Auth() = default;
  virtual k42::Status check(K42_CALLER const k42::Badge &Who,
// CHECK: 0015-caller-twice.bad.h:[[@LINE+4]]:58: error: K42_CALLER is used more than once in 'check' [stubc-0015]
// CHECK-NEXT: {{^ *[0-9]+ [|]}} K42_CALLER const k42::Badge &Again) = 0;
// CHECK-NEXT: {{^ +[|] +[~ ]*\^}}
// CHECK: note: first K42_CALLER parameter is here
                            K42_CALLER const k42::Badge &Again) = 0;
};

// CHECK: {{^}}1 error generated.
