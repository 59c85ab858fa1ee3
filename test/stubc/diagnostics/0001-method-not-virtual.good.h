// SPDX-License-Identifier: Apache-2.0
// stubc-0001, good: the exported method is pure virtual.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "name": "fault"
// CHECK: "name": "Pager"
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>

class K42_EXPORT Pager {
public:
  virtual ~Pager() = default;

  virtual k42::Status fault(uint64_t Address) = 0;
};
