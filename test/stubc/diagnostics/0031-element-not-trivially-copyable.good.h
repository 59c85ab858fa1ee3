// SPDX-License-Identifier: Apache-2.0
// stubc-0031, good: keys as fixed-size records in one vector, presence as
// bytes.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "name": "add",
// CHECK: "elementType": "Key",
// CHECK-NEXT: "kind": "vector",
// CHECK-NEXT: "name": "Keys",
// CHECK: "name": "probe",
// CHECK: "direction": "out",
// CHECK-NEXT: "elementType": "uint8_t",
// CHECK-NEXT: "kind": "vector",
// CHECK-NEXT: "name": "Present",
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>
#include <vector>

struct Key {
  char Text[32];
};

class K42_EXPORT Index {
public:
  virtual ~Index() = default;

  virtual k42::Status add(const std::vector<Key> &Keys) = 0;
  virtual k42::Status probe(std::vector<uint8_t> &Present) = 0;
};
