// SPDX-License-Identifier: Apache-2.0
// stubc-0016, good: every right named in K42_REQUIRES and
// K42_DEFAULT_REQUIRES is declared; K42_REQUIRES(none) requires nothing.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "name": "size",
// CHECK: "requiredMask": "0x0000000000000001",
// CHECK-NEXT: "requiredRights": [
// CHECK-NEXT: "read"
// CHECK: "name": "truncate",
// CHECK: "requiredMask": "0x0000000000000002",
// CHECK-NEXT: "requiredRights": [
// CHECK-NEXT: "write"
// CHECK: "name": "sync",
// CHECK: "requiredMask": "0x0000000000000000",
// CHECK-NEXT: "requiredRights": []
// CHECK: "name": "File",
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>

class K42_EXPORT K42_RIGHTS(read, write) K42_DEFAULT_REQUIRES(read) File {
public:
  virtual ~File() = default;

  virtual k42::Status size(uint64_t &Bytes) = 0;
  K42_REQUIRES(write) virtual k42::Status truncate(uint64_t Size) = 0;
  K42_REQUIRES(none) virtual k42::Status sync() = 0;
};
