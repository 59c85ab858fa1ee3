// SPDX-License-Identifier: Apache-2.0
// stubc-0014, bad: K42_CALLER on a plain integer, as if the client could say
// who it is.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s
// RUN: not %stubc --emit=json %s -- %k42_cxxflags -fdiagnostics-parseable-fixits 2>&1 | FileCheck %s --check-prefix=FIXIT

#include <k42/idl.h>

#include <cstdint>

class K42_EXPORT Auth {
public:
  virtual ~Auth() = default;

  // CHECK: 0014-caller-wrong-type.bad.h:[[@LINE+5]]:50: error: K42_CALLER parameter 'Pid' has type 'uint32_t' (aka 'unsigned int'); it must be 'const k42::Badge &' or 'k42::Badge' [stubc-0014]
  // CHECK-NEXT: [[@LINE+4]] | virtual k42::Status whoAmI(K42_CALLER uint32_t Pid, uint32_t &Uid) = 0;
  // CHECK-NEXT: {{^ +[|] +~+ \^$}}
  // CHECK-NEXT: {{^ +[|] +const k42::Badge &$}}
  // FIXIT: fix-it:"{{.*}}0014-caller-wrong-type.bad.h":{[[@LINE+1]]:41-[[@LINE+1]]:49}:"const k42::Badge &"
  virtual k42::Status whoAmI(K42_CALLER uint32_t Pid, uint32_t &Uid) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}1 error generated.
