// SPDX-License-Identifier: Apache-2.0
// stubc-0016, bad: a typo in K42_DEFAULT_REQUIRES, reported once, at the class.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>
#include <span>

// CHECK: 0016-unknown-right-default.bad.h:[[@LINE+3]]:42: error: unknown right 'raed' in 'Dir' (declared rights: 'read', 'write') [stubc-0016]
// CHECK: 0016-unknown-right-default.bad.h:[[@LINE+2]]:42: note: did you mean 'read'?
// CHECK-NOT: error:
class K42_EXPORT K42_RIGHTS(read, write) K42_DEFAULT_REQUIRES(raed) Dir {
public:
  virtual ~Dir() = default;

  virtual k42::Status list(uint64_t Cookie, std::span<uint8_t> Entries) = 0;
  virtual k42::Status size(uint64_t &Entries) = 0;
  K42_REQUIRES(write) virtual k42::Status remove(uint64_t Cookie) = 0;
};

// CHECK: {{^}}1 error generated.
