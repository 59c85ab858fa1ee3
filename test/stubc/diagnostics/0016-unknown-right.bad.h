// SPDX-License-Identifier: Apache-2.0
// stubc-0016, bad: K42_REQUIRES names a right the interface does not declare
// (a typo).
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>

class K42_EXPORT K42_RIGHTS(read, write) File {
public:
  virtual ~File() = default;

  // The diagnostic points into the macro, so Clang adds "expanded from" notes.
  // CHECK: 0016-unknown-right.bad.h:[[@LINE+5]]:3: error: unknown right 'wrte' in 'truncate' (declared rights: 'read', 'write') [stubc-0016]
  // CHECK-NEXT: [[@LINE+4]] | K42_REQUIRES(wrte) virtual k42::Status truncate(uint64_t Size) = 0;
  // CHECK-NEXT: {{^ +[|] +\^$}}
  // CHECK: note: expanded from macro 'K42_REQUIRES'
  // CHECK: 0016-unknown-right.bad.h:[[@LINE+1]]:3: note: did you mean 'write'?
  K42_REQUIRES(wrte) virtual k42::Status truncate(uint64_t Size) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}1 error generated.
