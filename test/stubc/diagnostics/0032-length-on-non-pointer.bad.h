// SPDX-License-Identifier: Apache-2.0
//
// stubc-0032 (K42_LENGTH on a non-pointer): the bad example.
// See stubc/docs/diagnostics/stubc-0032.md.
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

class K42_EXPORT Disk {
public:
  virtual ~Disk() = default;
// CHECK: 0032-length-on-non-pointer.bad.h:[[@LINE+3]]:71: error: K42_LENGTH on parameter 'Data' of type 'std::span<const uint8_t>' (aka 'span<const unsigned char>'); it applies to raw pointers only [stubc-0032]
// CHECK-NEXT: {{^ *[0-9]+ [|]}} virtual k42::Status write(K42_LENGTH(Size) std::span<const uint8_t> Data, uint32_t Size) = 0;
// CHECK-NEXT: {{^ +[|] +[~ ]*\^}}
  virtual k42::Status write(K42_LENGTH(Size) std::span<const uint8_t> Data, uint32_t Size) = 0;
};

// CHECK: {{^}}1 error generated.
