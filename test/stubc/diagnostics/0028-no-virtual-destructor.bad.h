// SPDX-License-Identifier: Apache-2.0
// stubc-0028, bad: an exported interface without a virtual destructor. A
// warning: stubc exits 0 and still generates code.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s --check-prefix=PLUGIN

#include <k42/idl.h>

#include <cstdint>

// CHECK: 0028-no-virtual-destructor.bad.h:[[@LINE+5]]:18: warning: exported interface 'Pager' has no virtual destructor; deleting an implementation through it is undefined [stubc-0028]
// CHECK-NEXT: [[@LINE+4]] | class K42_EXPORT Pager {
// CHECK-NEXT: {{^ +[|] +\^$}}
// CHECK: "name": "Pager",
// PLUGIN: 0028-no-virtual-destructor.bad.h:[[@LINE+1]]:18: warning: exported interface 'Pager' has no virtual destructor; deleting an implementation through it is undefined [stubc-0028]
class K42_EXPORT Pager {
public:
  virtual k42::Status fault(uint64_t Address) = 0;
};

// CHECK-NOT: error
// PLUGIN: {{^}}1 warning generated.
