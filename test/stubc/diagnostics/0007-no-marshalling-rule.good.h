// SPDX-License-Identifier: Apache-2.0
//
// stubc-0007 (type with no marshalling rule): the good example, with no diagnostics.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "kind": "scalar"
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

class K42_EXPORT Cache {
public:
  virtual ~Cache() = default;
  virtual k42::Status put(int32_t Value) = 0;
};
