// SPDX-License-Identifier: Apache-2.0
// stubc-0015, good: one K42_CALLER parameter; another process's identity
// travels as an ordinary in parameter.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "kind": "caller",
// CHECK: "name": "Caller",
// CHECK: "kind": "string",
// CHECK: "name": "Path",
// CHECK: "kind": "scalar",
// CHECK: "name": "OwnerPid",
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>
#include <string_view>

class K42_EXPORT Auth {
public:
  virtual ~Auth() = default;

  virtual k42::Status check(K42_CALLER const k42::Badge &Caller,
                            std::string_view Path, uint32_t OwnerPid) = 0;
};
