// SPDX-License-Identifier: Apache-2.0
// stubc-0032, bad: K42_LENGTH on a span, which carries its own size, and on
// the count instead of the pointer.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>
#include <span>

class K42_EXPORT BlockDevice {
public:
  virtual ~BlockDevice() = default;

  // CHECK: 0032-length-on-non-pointer.bad.h:[[@LINE+5]]:71: error: K42_LENGTH on parameter 'Data' of type 'std::span<const uint8_t>' (aka 'span<const unsigned char>'); it applies to raw pointers only [stubc-0032]
  // CHECK-NEXT: [[@LINE+4]] | virtual k42::Status write(K42_LENGTH(Size) std::span<const uint8_t> Data,
  // CHECK-NEXT: {{^ +[|] +\^$}}
  // CHECK: 0032-length-on-non-pointer.bad.h:[[@LINE+4]]:37: error: raw pointer parameter 'Data' needs K42_LENGTH
  // CHECK: 0032-length-on-non-pointer.bad.h:[[@LINE+4]]:54: error: K42_LENGTH on parameter 'Size' of type 'uint32_t'{{.*}}; it applies to raw pointers only [stubc-0032]
  virtual k42::Status write(K42_LENGTH(Size) std::span<const uint8_t> Data,
                            uint32_t Size) = 0;
  virtual k42::Status read(uint8_t *Data,
                           K42_LENGTH(Data) uint32_t Size) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}3 errors generated.
