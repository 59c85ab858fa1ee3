// SPDX-License-Identifier: Apache-2.0
// stubc-0020, bad: K42_EXPORT on an explicit specialization, and on a class
// nested in a class template.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>

template <typename T> class Queue;

// CHECK: 0020-template-interface-specialization.bad.h:[[@LINE+1]]:30: error: exported class 'Queue<{{.*}}>' is a template; export a concrete class [stubc-0020]
template <> class K42_EXPORT Queue<uint64_t> {
public:
  virtual ~Queue() = default;

  virtual k42::Status push(uint64_t Item) = 0;
};

template <typename T> class Pool {
public:
  // CHECK: 0020-template-interface-specialization.bad.h:[[@LINE+1]]:20: error: exported class 'Client' is a template; export a concrete class [stubc-0020]
  class K42_EXPORT Client {
  public:
    virtual ~Client() = default;

    virtual k42::Status take(T &Item) = 0;
  };
};

// CHECK-NOT: error:
// CHECK: {{^}}2 errors generated.
