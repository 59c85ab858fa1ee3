// SPDX-License-Identifier: Apache-2.0
// stubc-0025, good: K42_STATE_ACCESS(Counter) lets StateCounter reach the
// private fields.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "stateClasses": [
// CHECK: "name": "Value",
// CHECK: "name": "Resets",
// CHECK: "name": "Counter",
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>

class Counter {
  K42_STATE_ACCESS(Counter);

public:
  void increment() { ++Value; }

private:
  K42_STATE uint64_t Value = 0;
  K42_STATE uint64_t Resets = 0;
};
