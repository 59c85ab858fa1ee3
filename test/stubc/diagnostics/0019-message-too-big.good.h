// SPDX-License-Identifier: Apache-2.0
//
// stubc-0019 (message larger than a PPC page): the good example, with no diagnostics.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "kind": "span"
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
  virtual k42::Status write(uint64_t Lba, std::span<const uint8_t> Data) = 0;
};
