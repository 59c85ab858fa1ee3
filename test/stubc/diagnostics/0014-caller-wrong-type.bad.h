// SPDX-License-Identifier: Apache-2.0
//
// stubc-0014 (K42_CALLER of the wrong type): the bad example.
// See stubc/docs/diagnostics/stubc-0014.md.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s
// RUN: not %stubc --emit=json %s -- %k42_cxxflags -fdiagnostics-parseable-fixits 2>&1 | FileCheck %s --check-prefix=FIXIT
// FIXIT: fix-it:"{{.*}}0014-caller-wrong-type.bad.h":{{[{]}}{{[0-9]+}}:41-{{[0-9]+}}:49}:"const k42::Badge &"

#include <k42/idl.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

class K42_EXPORT Auth {
public:
  virtual ~Auth() = default;
// CHECK: 0014-caller-wrong-type.bad.h:[[@LINE+3]]:50: error: K42_CALLER parameter 'Pid' has type 'uint32_t' (aka 'unsigned int'); it must be 'const k42::Badge &' or 'k42::Badge' [stubc-0014]
// CHECK-NEXT: {{^ *[0-9]+ [|]}} virtual k42::Status whoAmI(K42_CALLER uint32_t Pid, uint32_t &Uid) = 0;
// CHECK-NEXT: {{^ +[|] +[~ ]*\^}}
  virtual k42::Status whoAmI(K42_CALLER uint32_t Pid, uint32_t &Uid) = 0;
};

// CHECK: {{^}}1 error generated.
