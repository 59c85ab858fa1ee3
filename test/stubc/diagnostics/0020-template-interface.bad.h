// SPDX-License-Identifier: Apache-2.0
// stubc-0020, bad: K42_EXPORT on a class template.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

template <typename T>
// CHECK: 0020-template-interface.bad.h:[[@LINE+3]]:18: error: exported class 'Queue' is a template; export a concrete class [stubc-0020]
// CHECK-NEXT: [[@LINE+2]] | class K42_EXPORT Queue {
// CHECK-NEXT: {{^ +[|] +\^$}}
class K42_EXPORT Queue {
public:
  virtual ~Queue() = default;

  virtual k42::Status push(const T &Item) = 0;
  virtual k42::Status pop(T &Item) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}1 error generated.
