// SPDX-License-Identifier: Apache-2.0
//
// stubc-0025 (private state without K42_STATE_ACCESS): the good example, with no diagnostics.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "name": "Value"
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

class Counter {
  K42_STATE_ACCESS(Counter);
  K42_STATE uint64_t Value = 0;
};
