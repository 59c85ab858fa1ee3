// SPDX-License-Identifier: Apache-2.0
// stubc-0003, good: the two methods have different ids.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "id": 5,
// CHECK: "name": "open",
// CHECK: "id": 6,
// CHECK: "name": "close",
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>
#include <string_view>

class K42_EXPORT FileServer {
public:
  virtual ~FileServer() = default;

  K42_METHOD_ID(5) virtual k42::Status open(std::string_view Path) = 0;
  K42_METHOD_ID(6) virtual k42::Status close(uint32_t Fd) = 0;
};
