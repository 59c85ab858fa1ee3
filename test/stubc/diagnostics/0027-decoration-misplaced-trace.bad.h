// SPDX-License-Identifier: Apache-2.0
// stubc-0027, bad: K42_TRACE belongs on an exported class only: not on a
// class that is not exported, not on a method.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>

// CHECK: 0027-decoration-misplaced-trace.bad.h:[[@LINE+1]]:7: error: K42_TRACE does not apply to a class that is not K42_EXPORT [stubc-0027]
class K42_TRACE Helper {
public:
  virtual ~Helper() = default;
  virtual k42::Status help() = 0;
};

class K42_EXPORT Meter {
public:
  virtual ~Meter() = default;
  // CHECK: 0027-decoration-misplaced-trace.bad.h:[[@LINE+1]]:3: error: K42_TRACE does not apply to a class that is not K42_EXPORT [stubc-0027]
  K42_TRACE virtual k42::Status read(uint64_t &Value) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}2 errors generated.
