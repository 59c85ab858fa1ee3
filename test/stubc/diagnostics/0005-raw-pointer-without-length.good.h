// SPDX-License-Identifier: Apache-2.0
//
// stubc-0005 (raw pointer without a length): the good example, with no diagnostics.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "kind": "rawBuffer"
// CHECK: "length": "Size"
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

class K42_EXPORT Logger {
public:
  virtual ~Logger() = default;
  virtual k42::Status log(K42_LENGTH(Size) const char *Line, uint32_t Size) = 0;
};
