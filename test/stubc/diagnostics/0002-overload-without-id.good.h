// SPDX-License-Identifier: Apache-2.0
// stubc-0002, good: every overload of write() has its own K42_METHOD_ID.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "explicitId": true,
// CHECK: "id": 16,
// CHECK: "name": "write",
// CHECK: "explicitId": true,
// CHECK: "id": 17,
// CHECK: "name": "write",
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>
#include <string_view>

class K42_EXPORT Console {
public:
  virtual ~Console() = default;

  K42_METHOD_ID(0x10) virtual k42::Status write(std::string_view Text) = 0;
  K42_METHOD_ID(0x11) virtual k42::Status write(uint32_t Code) = 0;
};
