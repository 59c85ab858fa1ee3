// SPDX-License-Identifier: Apache-2.0
// stubc-0013, bad: a one-way method that returns k42::Status.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>

class K42_EXPORT Watcher {
public:
  virtual ~Watcher() = default;

  // CHECK: 0013-oneway-non-void.bad.h:[[@LINE+3]]:34: error: one-way method 'changed' must return void, not 'k42::Status' [stubc-0013]
  // CHECK-NEXT: [[@LINE+2]] | K42_ONEWAY virtual k42::Status changed(uint64_t Version) = 0;
  // CHECK-NEXT: {{^ +[|] +\^$}}
  K42_ONEWAY virtual k42::Status changed(uint64_t Version) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}1 error generated.
