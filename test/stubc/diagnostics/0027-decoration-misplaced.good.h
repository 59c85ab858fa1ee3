// SPDX-License-Identifier: Apache-2.0
// stubc-0027, good: the class is exported, declares the right, and every
// decorated method is public, non-static and virtual.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "name": "reset",
// CHECK: "requiredRights": [
// CHECK-NEXT: "admin"
// CHECK: "name": "Console",
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

class K42_EXPORT K42_RIGHTS(admin) Console {
public:
  virtual ~Console() = default;

  K42_REQUIRES(admin) virtual k42::Status reset() = 0;
};
