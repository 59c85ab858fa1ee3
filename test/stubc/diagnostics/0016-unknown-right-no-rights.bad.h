// SPDX-License-Identifier: Apache-2.0
// stubc-0016, bad: K42_REQUIRES on an interface that declares no rights.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

class K42_EXPORT Console {
public:
  virtual ~Console() = default;

  // CHECK: 0016-unknown-right-no-rights.bad.h:[[@LINE+2]]:3: error: unknown right 'admin' in 'reset' (declared rights: none) [stubc-0016]
  // CHECK-NOT: did you mean
  K42_REQUIRES(admin) virtual k42::Status reset() = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}1 error generated.
