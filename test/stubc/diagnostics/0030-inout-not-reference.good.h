// SPDX-License-Identifier: Apache-2.0
// stubc-0030, good: K42_INOUT on a non-const reference, a span of non-const
// elements and a K42_LENGTH T * buffer.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "name": "edit",
// CHECK: "direction": "inout",
// CHECK-NEXT: "kind": "string",
// CHECK-NEXT: "name": "Text",
// CHECK: "name": "patch",
// CHECK: "direction": "inout",
// CHECK-NEXT: "elementType": "uint8_t",
// CHECK-NEXT: "kind": "span",
// CHECK-NEXT: "name": "Bytes",
// CHECK: "name": "seek",
// CHECK: "direction": "inout",
// CHECK-NEXT: "kind": "scalar",
// CHECK-NEXT: "name": "Cursor",
// CHECK: "name": "scramble",
// CHECK: "direction": "inout",
// CHECK-NEXT: "elementType": "uint8_t",
// CHECK-NEXT: "kind": "rawBuffer",
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>
#include <span>
#include <string>

class K42_EXPORT Editor {
public:
  virtual ~Editor() = default;

  virtual k42::Status edit(K42_INOUT std::string &Text) = 0;
  virtual k42::Status patch(K42_INOUT std::span<uint8_t> Bytes) = 0;
  virtual k42::Status seek(K42_INOUT uint64_t &Cursor) = 0;
  virtual k42::Status scramble(K42_INOUT K42_LENGTH(Size) uint8_t *Data,
                               uint32_t Size) = 0;
};
