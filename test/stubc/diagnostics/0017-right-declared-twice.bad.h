// SPDX-License-Identifier: Apache-2.0
// stubc-0017, bad: one right name twice in K42_RIGHTS.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

// CHECK: 0017-right-declared-twice.bad.h:[[@LINE+4]]:18: error: right 'read' is declared twice in 'File' [stubc-0017]
// CHECK-NEXT: [[@LINE+3]] | class K42_EXPORT K42_RIGHTS(read, write, read) File {
// CHECK-NEXT: {{^ +[|] +\^$}}
// CHECK: note: expanded from macro 'K42_RIGHTS'
class K42_EXPORT K42_RIGHTS(read, write, read) File {
public:
  virtual ~File() = default;
};

// CHECK-NOT: error:
// CHECK: {{^}}1 error generated.
