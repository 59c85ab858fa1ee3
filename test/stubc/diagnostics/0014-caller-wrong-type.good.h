// SPDX-License-Identifier: Apache-2.0
// stubc-0014, good: the caller is a const k42::Badge & (or a k42::Badge by
// value), filled in by XAuth and absent from StubAuth.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "name": "whoAmI",
// CHECK: "kind": "caller",
// CHECK: "name": "Caller",
// CHECK: "type": "const k42::Badge &",
// CHECK: "name": "login",
// CHECK: "kind": "caller",
// CHECK: "name": "Caller",
// CHECK: "type": "k42::Badge",
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>

class K42_EXPORT Auth {
public:
  virtual ~Auth() = default;

  virtual k42::Status whoAmI(K42_CALLER const k42::Badge &Caller,
                             uint32_t &Uid) = 0;
  virtual k42::Status login(K42_CALLER k42::Badge Caller, uint64_t Token) = 0;
};
