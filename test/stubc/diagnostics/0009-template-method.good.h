// SPDX-License-Identifier: Apache-2.0
//
// stubc-0009 (exported method is a template): the good example, with no diagnostics.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "name": "put"
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

class K42_EXPORT Store {
public:
  virtual ~Store() = default;
  K42_METHOD_ID(1) virtual k42::Status put(int64_t Value) = 0;
  K42_METHOD_ID(2) virtual k42::Status put(std::string_view Value) = 0;
};
