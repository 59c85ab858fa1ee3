// SPDX-License-Identifier: Apache-2.0
// stubc-0012, good: the one-way notification takes in parameters only; the
// value it wanted back is fetched by an ordinary two-way call.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "name": "changed",
// CHECK-NEXT: "oneWay": true,
// CHECK: "direction": "in",
// CHECK: "name": "Version",
// CHECK: "name": "seen",
// CHECK-NEXT: "oneWay": false,
// CHECK: "direction": "out",
// CHECK: "name": "Seen",
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>

class K42_EXPORT Watcher {
public:
  virtual ~Watcher() = default;

  K42_ONEWAY virtual void changed(uint64_t Version) = 0;
  virtual k42::Status seen(uint64_t &Seen) = 0;
};
