// SPDX-License-Identifier: Apache-2.0
// stubc-0036, bad: the reserved name 'all' used as a right.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

// CHECK: 0036-invalid-right-name.bad.h:[[@LINE+4]]:18: error: right name 'all' is not usable: a right is a C++ identifier, and 'all' and 'none' are reserved [stubc-0036]
// CHECK-NEXT: [[@LINE+3]] | class K42_EXPORT K42_RIGHTS(read, write, all) File {
// CHECK-NEXT: {{^ +[|] +\^$}}
// CHECK-NEXT: note: expanded from macro 'K42_RIGHTS'
class K42_EXPORT K42_RIGHTS(read, write, all) File {
public:
  virtual ~File() = default;
};

// CHECK-NOT: error:
// CHECK: {{^}}1 error generated.
