// SPDX-License-Identifier: Apache-2.0
// stubc-0020, good: a concrete interface for each element type the service
// offers.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "name": "push",
// CHECK: "kind": "scalar",
// CHECK: "name": "Item",
// CHECK: "name": "WordQueue",
// CHECK: "name": "push",
// CHECK: "kind": "vector",
// CHECK: "name": "Item",
// CHECK: "name": "MessageQueue",
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>
#include <vector>

class K42_EXPORT WordQueue {
public:
  virtual ~WordQueue() = default;

  virtual k42::Status push(uint64_t Item) = 0;
  virtual k42::Status pop(uint64_t &Item) = 0;
};

class K42_EXPORT MessageQueue {
public:
  virtual ~MessageQueue() = default;

  virtual k42::Status push(const std::vector<uint8_t> &Item) = 0;
  virtual k42::Status pop(std::vector<uint8_t> &Item) = 0;
};
