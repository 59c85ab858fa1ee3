// SPDX-License-Identifier: Apache-2.0
// stubc-0004, good: the derived interface's method has an id of its own, and
// the inherited method keeps its id.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "name": "Stream"
// CHECK: "base": "Stream",
// CHECK: "declaredBy": "Stream",
// CHECK: "id": 1,
// CHECK: "name": "available",
// CHECK: "declaredBy": "Socket",
// CHECK: "id": 2,
// CHECK: "name": "shutdown",
// CHECK: "name": "Socket"
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>

class K42_EXPORT Stream {
public:
  virtual ~Stream() = default;

  K42_METHOD_ID(1) virtual k42::Status available(uint64_t &Bytes) = 0;
};

class K42_EXPORT Socket : public Stream {
public:
  K42_METHOD_ID(2) virtual k42::Status shutdown() = 0;
};
