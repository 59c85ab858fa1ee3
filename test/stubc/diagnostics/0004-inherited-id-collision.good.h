// SPDX-License-Identifier: Apache-2.0
//
// stubc-0004 (method id collides with an inherited method): the good example, with no diagnostics.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "base": "File"
// CHECK: "name": "shutdown"
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

class K42_EXPORT File {
public:
  virtual ~File() = default;
  K42_METHOD_ID(1) virtual k42::Status read(uint64_t &Size) = 0;
};

class K42_EXPORT Socket : public File {
public:
  K42_METHOD_ID(2) virtual k42::Status shutdown() = 0;
};
