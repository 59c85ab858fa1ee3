// SPDX-License-Identifier: Apache-2.0
// stubc-0006, good: the callback is an object the server calls back through
// a handle.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "name": "fire",
// CHECK: "oneWay": true,
// CHECK: "name": "Alarm"
// CHECK: "name": "arm",
// CHECK: "direction": "in",
// CHECK: "kind": "handle",
// CHECK: "name": "Callback",
// CHECK: "name": "Timer"
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>

/// Implemented by the client: the timer server calls fire() when time is up.
class K42_EXPORT Alarm {
public:
  virtual ~Alarm() = default;

  K42_ONEWAY virtual void fire(uint64_t Now) = 0;
};

class K42_EXPORT Timer {
public:
  virtual ~Timer() = default;

  /// \p Callback is a handle to an Alarm object.
  virtual k42::Status arm(uint64_t Ns, k42::ObjectHandle Callback) = 0;
};
