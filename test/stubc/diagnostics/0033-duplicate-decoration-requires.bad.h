// SPDX-License-Identifier: Apache-2.0
// stubc-0033, bad: two K42_REQUIRES on a method, two K42_VERSION on a class,
// two K42_INOUT on a parameter.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>
#include <string>

// CHECK: 0033-duplicate-decoration-requires.bad.h:[[@LINE+1]]:57: error: K42_VERSION is given more than once on 'File' [stubc-0033]
class K42_EXPORT K42_RIGHTS(read, write) K42_VERSION(2) K42_VERSION(3) File {
public:
  virtual ~File() = default;

  // CHECK: 0033-duplicate-decoration-requires.bad.h:[[@LINE+1]]:22: error: K42_REQUIRES is given more than once on 'copy' [stubc-0033]
  K42_REQUIRES(read) K42_REQUIRES(write)
  virtual k42::Status copy(uint64_t From, uint64_t To) = 0;

  // CHECK: 0033-duplicate-decoration-requires.bad.h:[[@LINE+1]]:40: error: K42_INOUT is given more than once on 'Name' [stubc-0033]
  virtual k42::Status rename(K42_INOUT K42_INOUT std::string &Name) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}3 errors generated.
