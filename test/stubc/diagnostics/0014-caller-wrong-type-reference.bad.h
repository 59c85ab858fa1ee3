// SPDX-License-Identifier: Apache-2.0
// stubc-0014, bad: K42_CALLER on a non-const reference and on a pointer to a
// badge; the implementation must not be able to change who called.
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

  // CHECK: 0014-caller-wrong-type-reference.bad.h:[[@LINE+4]]:52: error: K42_CALLER parameter 'Caller' has type 'k42::Badge &'; it must be 'const k42::Badge &' or 'k42::Badge' [stubc-0014]
  // FIXIT: fix-it:"{{.*}}0014-caller-wrong-type-reference.bad.h":{[[@LINE+3]]:40-[[@LINE+3]]:52}:"const k42::Badge &"
  // CHECK: 0014-caller-wrong-type-reference.bad.h:[[@LINE+4]]:59: error: K42_CALLER parameter 'Caller' has type 'const k42::Badge *'; it must be 'const k42::Badge &' or 'k42::Badge' [stubc-0014]
  // FIXIT: fix-it:"{{.*}}0014-caller-wrong-type-reference.bad.h":{[[@LINE+3]]:41-[[@LINE+3]]:59}:"const k42::Badge &"
  virtual k42::Status login(K42_CALLER k42::Badge &Caller,
                            uint64_t Token) = 0;
  virtual k42::Status logout(K42_CALLER const k42::Badge *Caller) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}2 errors generated.
