// SPDX-License-Identifier: Apache-2.0
// stubc-0009, good: one virtual method per value type, told apart by
// K42_METHOD_ID.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "id": 1,
// CHECK: "name": "put",
// CHECK: "kind": "scalar",
// CHECK: "name": "Value",
// CHECK: "id": 2,
// CHECK: "name": "put",
// CHECK: "kind": "string",
// CHECK: "name": "Value",
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>
#include <string_view>

class K42_EXPORT Registry {
public:
  virtual ~Registry() = default;

  K42_METHOD_ID(1)
  virtual k42::Status put(std::string_view Key, int64_t Value) = 0;
  K42_METHOD_ID(2)
  virtual k42::Status put(std::string_view Key, std::string_view Value) = 0;
};
