// SPDX-License-Identifier: Apache-2.0
// stubc-0019, bad: a by-value struct larger than a PPC page.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>

struct Block {
  uint8_t Bytes[8192];
};

class K42_EXPORT BlockDevice {
public:
  virtual ~BlockDevice() = default;

  // CHECK: 0019-message-too-big.bad.h:[[@LINE+5]]:23: error: the request of 'write' needs at least 8200 bytes; a PPC page carries at most 4064 [stubc-0019]
  // CHECK-NEXT: [[@LINE+4]] | virtual k42::Status write(uint64_t Lba, const Block &Data) = 0;
  // CHECK-NEXT: {{^ +[|] +\^$}}
  // CHECK-NEXT: 0019-message-too-big.bad.h:[[@LINE+2]]:23: note: largest fixed part: parameter 'Data' (8192 bytes)
  // CHECK-NOT: error:
  virtual k42::Status write(uint64_t Lba, const Block &Data) = 0;
};

// CHECK: {{^}}1 error generated.
