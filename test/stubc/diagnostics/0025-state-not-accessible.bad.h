// SPDX-License-Identifier: Apache-2.0
//
// stubc-0025 (private state without K42_STATE_ACCESS): the bad example.
// See stubc/docs/diagnostics/stubc-0025.md.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s
// RUN: not %stubc --emit=json %s -- %k42_cxxflags -fdiagnostics-parseable-fixits 2>&1 | FileCheck %s --check-prefix=FIXIT
// FIXIT: fix-it:"{{.*}}0025-state-not-accessible.bad.h":{{[{]}}{{[0-9]+}}:1-{{[0-9]+}}:1}:"  K42_STATE_ACCESS(Counter);\n"

#include <k42/idl.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

class Counter {
// CHECK: 0025-state-not-accessible.bad.h:[[@LINE+3]]:22: error: K42_STATE field 'Value' is not public and 'Counter' does not grant the generated StateCounter access [stubc-0025]
// CHECK-NEXT: {{^ *[0-9]+ [|]}} K42_STATE uint64_t Value = 0;
// CHECK-NEXT: {{^ +[|] +[~ ]*\^}}
  K42_STATE uint64_t Value = 0;
};

// CHECK: {{^}}1 error generated.
