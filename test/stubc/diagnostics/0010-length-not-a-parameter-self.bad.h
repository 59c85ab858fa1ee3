// SPDX-License-Identifier: Apache-2.0
// stubc-0010, bad: K42_LENGTH naming the pointer itself, and K42_LENGTH with
// no name at all.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>

class K42_EXPORT BlockDevice {
public:
  virtual ~BlockDevice() = default;

  // CHECK: 0010-length-not-a-parameter-self.bad.h:[[@LINE+2]]:{{[0-9]+}}: error: K42_LENGTH(Data) on 'Data' does not name a parameter of 'write' [stubc-0010]
  // CHECK: 0010-length-not-a-parameter-self.bad.h:[[@LINE+2]]:{{[0-9]+}}: error: K42_LENGTH() on 'Data' does not name a parameter of 'read' [stubc-0010]
  virtual k42::Status write(K42_LENGTH(Data) const uint8_t *Data) = 0;
  virtual k42::Status read(K42_LENGTH() uint8_t *Data, uint32_t Size) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}2 errors generated.
