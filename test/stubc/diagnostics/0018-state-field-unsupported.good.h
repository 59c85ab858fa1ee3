// SPDX-License-Identifier: Apache-2.0
//
// stubc-0018 (state field of an unsupported type): the good example, with no diagnostics.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "kind": "vector"
// CHECK: "kind": "string"
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

class Directory {
public:
  K42_STATE std::vector<uint64_t> Inodes;
  K42_STATE std::string Name;
};
