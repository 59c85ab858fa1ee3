// SPDX-License-Identifier: Apache-2.0
// stubc-0018, bad: K42_STATE on a const field, a reference, a bit-field and
// an atomic pointer.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <atomic>
#include <cstdint>

struct Frame;

class PageTable {
public:
  explicit PageTable(uint64_t &Faults) : Faults(Faults) {}

  // CHECK: 0018-state-field-unsupported-kinds.bad.h:[[@LINE+4]]:{{[0-9]+}}: error: K42_STATE field 'Root' has type 'const uint64_t'{{.*}}, which hot swap cannot transfer [stubc-0018]
  // CHECK: 0018-state-field-unsupported-kinds.bad.h:[[@LINE+4]]:{{[0-9]+}}: error: K42_STATE field 'Faults' has type 'uint64_t &'{{.*}}, which hot swap cannot transfer [stubc-0018]
  // CHECK: 0018-state-field-unsupported-kinds.bad.h:[[@LINE+4]]:{{[0-9]+}}: error: K42_STATE field 'Levels' has type 'uint32_t'{{.*}}, which hot swap cannot transfer [stubc-0018]
  // CHECK: 0018-state-field-unsupported-kinds.bad.h:[[@LINE+4]]:{{[0-9]+}}: error: K42_STATE field 'FreeList' has type 'std::atomic<Frame *>', which hot swap cannot transfer [stubc-0018]
  K42_STATE const uint64_t Root = 0;
  K42_STATE uint64_t &Faults;
  K42_STATE uint32_t Levels : 3;
  K42_STATE std::atomic<Frame *> FreeList;
};

// CHECK-NOT: error:
// CHECK: {{^}}4 errors generated.
