// SPDX-License-Identifier: Apache-2.0
// stubc-0005, bad: a raw pointer parameter without K42_LENGTH.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>

class K42_EXPORT Logger {
public:
  virtual ~Logger() = default;

  // CHECK: 0005-raw-pointer-without-length.bad.h:[[@LINE+5]]:39: error: raw pointer parameter 'Line' needs K42_LENGTH(<count parameter>) to say how many elements it points to [stubc-0005]
  // CHECK-NEXT: [[@LINE+4]] | virtual k42::Status log(const char *Line) = 0;
  // CHECK-NEXT: {{^ +[|] +\^$}}
  // CHECK-NEXT: 0005-raw-pointer-without-length.bad.h:[[@LINE+2]]:39: note: use std::span<const T>, const std::vector<T> &, or K42_LENGTH(<count>) on the pointer
  // CHECK: 0005-raw-pointer-without-length.bad.h:[[@LINE+2]]:34: error: raw pointer parameter 'Buffer' needs K42_LENGTH(<count parameter>) to say how many elements it points to [stubc-0005]
  virtual k42::Status log(const char *Line) = 0;
  virtual k42::Status read(void *Buffer, uint32_t Size) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}2 errors generated.
