// SPDX-License-Identifier: Apache-2.0
// stubc-0036, bad: the reserved name 'none', and a right name that is not an
// identifier.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

// CHECK: 0036-invalid-right-name-none.bad.h:[[@LINE+1]]:18: error: right name 'none' is not usable: a right is a C++ identifier, and 'all' and 'none' are reserved [stubc-0036]
class K42_EXPORT K42_RIGHTS(none, read) File {
public:
  virtual ~File() = default;
};

// CHECK: 0036-invalid-right-name-none.bad.h:[[@LINE+1]]:18: error: right name 'read-only' is not usable: a right is a C++ identifier, and 'all' and 'none' are reserved [stubc-0036]
class K42_EXPORT K42_RIGHTS(read-only) Snapshot {
public:
  virtual ~Snapshot() = default;
};

// CHECK-NOT: error:
// CHECK: {{^}}2 errors generated.
