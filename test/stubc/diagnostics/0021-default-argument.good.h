// SPDX-License-Identifier: Apache-2.0
// stubc-0021, good: no default argument; a convenience overload belongs in a
// client-side wrapper, not in the interface.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "name": "prefetch",
// CHECK: "name": "Address",
// CHECK: "name": "Pages",
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>

class K42_EXPORT Pager {
public:
  virtual ~Pager() = default;

  virtual k42::Status prefetch(uint64_t Address, uint32_t Pages) = 0;
};
