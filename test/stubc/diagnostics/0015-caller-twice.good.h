// SPDX-License-Identifier: Apache-2.0
//
// stubc-0015 (K42_CALLER used twice): the good example, with no diagnostics.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "kind": "caller"
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

class K42_EXPORT Auth {
public:
  virtual ~Auth() = default;
  virtual k42::Status check(K42_CALLER const k42::Badge &Who) = 0;
};
