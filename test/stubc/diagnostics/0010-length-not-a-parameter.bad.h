// SPDX-License-Identifier: Apache-2.0
// stubc-0010, bad: K42_LENGTH names a parameter the method does not have.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>

class K42_EXPORT BlockDevice {
public:
  virtual ~BlockDevice() = default;

  // CHECK: 0010-length-not-a-parameter.bad.h:[[@LINE+3]]:76: error: K42_LENGTH(Bytes) on 'Data' does not name a parameter of 'write' [stubc-0010]
  // CHECK-NEXT: [[@LINE+2]] | virtual k42::Status write(uint64_t Lba, K42_LENGTH(Bytes) const uint8_t *Data,
  // CHECK-NEXT: {{^ +[|] +\^$}}
  virtual k42::Status write(uint64_t Lba, K42_LENGTH(Bytes) const uint8_t *Data,
                            uint32_t Size) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}1 error generated.
