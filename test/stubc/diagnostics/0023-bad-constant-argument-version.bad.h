// SPDX-License-Identifier: Apache-2.0
// stubc-0023, bad: K42_VERSION(0), and method ids that do not fit 32 bits or
// are negative.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>

// CHECK: 0023-bad-constant-argument-version.bad.h:[[@LINE+1]]:18: error: K42_VERSION needs an integer constant from 1 to 4294967295 [stubc-0023]
class K42_EXPORT K42_VERSION(0) Clock {
public:
  virtual ~Clock() = default;

  // CHECK: 0023-bad-constant-argument-version.bad.h:[[@LINE+1]]:3: error: K42_METHOD_ID needs an integer constant from 1 to 4294967295 [stubc-0023]
  K42_METHOD_ID(0x100000000) virtual k42::Status now(uint64_t &Ticks) = 0;
};

class K42_EXPORT Alarm {
public:
  virtual ~Alarm() = default;

  // CHECK: 0023-bad-constant-argument-version.bad.h:[[@LINE+1]]:3: error: K42_METHOD_ID needs an integer constant from 1 to 4294967295 [stubc-0023]
  K42_METHOD_ID(-1) virtual k42::Status set(uint64_t When) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}3 errors generated.
