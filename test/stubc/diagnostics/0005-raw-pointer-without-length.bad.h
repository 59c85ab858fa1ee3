// SPDX-License-Identifier: Apache-2.0
//
// stubc-0005 (raw pointer without a length): the bad example.
// See stubc/docs/diagnostics/stubc-0005.md.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

class K42_EXPORT Logger {
public:
  virtual ~Logger() = default;
// CHECK: 0005-raw-pointer-without-length.bad.h:[[@LINE+4]]:39: error: raw pointer parameter 'Line' needs K42_LENGTH(<count parameter>) to say how many elements it points to [stubc-0005]
// CHECK-NEXT: {{^ *[0-9]+ [|]}} virtual k42::Status log(const char *Line) = 0;
// CHECK-NEXT: {{^ +[|] +[~ ]*\^}}
// CHECK: note: use std::span<const T>, const std::vector<T> &, or K42_LENGTH(<count>) on the pointer
  virtual k42::Status log(const char *Line) = 0;
};

// CHECK: {{^}}1 error generated.
