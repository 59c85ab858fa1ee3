// SPDX-License-Identifier: Apache-2.0
//
// stubc-0001 (exported method not virtual): the bad example.
// See stubc/docs/diagnostics/stubc-0001.md.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s
// RUN: not %stubc --emit=json %s -- %k42_cxxflags -fdiagnostics-parseable-fixits 2>&1 | FileCheck %s --check-prefix=FIXIT
// FIXIT: fix-it:"{{.*}}0001-method-not-virtual.bad.h":{{[{]}}{{[0-9]+}}:3-{{[0-9]+}}:3}:"virtual "

#include <k42/idl.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

class K42_EXPORT Pager {
public:
  virtual ~Pager() = default;
// CHECK: 0001-method-not-virtual.bad.h:[[@LINE+3]]:15: error: exported method 'fault' must be virtual: the X object and the stub both override it [stubc-0001]
// CHECK-NEXT: {{^ *[0-9]+ [|]}} k42::Status fault(uint64_t Address);
// CHECK-NEXT: {{^ +[|] +[~ ]*\^}}
  k42::Status fault(uint64_t Address);
};

// CHECK: {{^}}1 error generated.
