// SPDX-License-Identifier: Apache-2.0
//
// stubc-0021 (exported method with a default argument): the bad example.
// See stubc/docs/diagnostics/stubc-0021.md.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s
// RUN: not %stubc --emit=json %s -- %k42_cxxflags -fdiagnostics-parseable-fixits 2>&1 | FileCheck %s --check-prefix=FIXIT
// FIXIT: fix-it:"{{.*}}0021-default-argument.bad.h":{{[{]}}{{[0-9]+}}:64-{{[0-9]+}}:68}:""

#include <k42/idl.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

class K42_EXPORT Pager {
public:
  virtual ~Pager() = default;
// CHECK: 0021-default-argument.bad.h:[[@LINE+3]]:59: error: parameter 'Pages' of exported method 'prefetch' has a default argument, which the stub cannot carry [stubc-0021]
// CHECK-NEXT: {{^ *[0-9]+ [|]}} virtual k42::Status prefetch(uint64_t Address, uint32_t Pages = 1) = 0;
// CHECK-NEXT: {{^ +[|] +[~ ]*\^}}
  virtual k42::Status prefetch(uint64_t Address, uint32_t Pages = 1) = 0;
};

// CHECK: {{^}}1 error generated.
