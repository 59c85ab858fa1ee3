// SPDX-License-Identifier: Apache-2.0
// stubc-0018, good: the cache keeps its entries as a vector of trivially
// copyable records, and its counters as an integer and an atomic.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "stateClasses": [
// CHECK: "kind": "trivial",
// CHECK-NEXT: "name": "Hits",
// CHECK: "elementType": "uint64_t",
// CHECK-NEXT: "kind": "atomic",
// CHECK-NEXT: "name": "Misses",
// CHECK: "elementType": "Entry",
// CHECK-NEXT: "kind": "vector",
// CHECK-NEXT: "name": "Entries",
// CHECK: "kind": "string",
// CHECK-NEXT: "name": "Root",
// CHECK: "name": "NameCache",
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

struct Entry {
  char Name[56];
  uint64_t Inode;
};

class NameCache {
public:
  K42_STATE uint64_t Hits = 0;
  K42_STATE std::atomic<uint64_t> Misses;
  K42_STATE std::vector<Entry> Entries;
  K42_STATE std::string Root;
};
