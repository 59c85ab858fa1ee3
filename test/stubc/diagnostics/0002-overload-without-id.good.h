// SPDX-License-Identifier: Apache-2.0
//
// stubc-0002 (overloaded exported name without an explicit id): the good example, with no diagnostics.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "id": 16
// CHECK: "id": 17
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

class K42_EXPORT K42_RIGHTS(write) Console {
public:
  virtual ~Console() = default;
  K42_METHOD_ID(0x10) virtual k42::Status write(std::string_view Text) = 0;
  K42_METHOD_ID(0x11) virtual k42::Status write(uint32_t Code) = 0;
};
