// SPDX-License-Identifier: Apache-2.0
//
// stubc-0011 (K42_LENGTH names a non-integral parameter): the good example, with no diagnostics.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "isLength": true
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

class K42_EXPORT Disk {
public:
  virtual ~Disk() = default;
  virtual k42::Status write(K42_LENGTH(Size) const uint8_t *Data, uint32_t Size) = 0;
};
