// SPDX-License-Identifier: Apache-2.0
// stubc-0019, good: the block travels as a span, checked against the page at
// run time, and large blocks go in several calls; fixed-size values that fit
// (a std::array here) are fine.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "fixedRequestBytes": 16,
// CHECK: "name": "write",
// CHECK: "direction": "in",
// CHECK: "kind": "span",
// CHECK: "name": "Data",
// CHECK: "fixedReplyBytes": 32,
// CHECK: "name": "checksum",
// CHECK: "direction": "out",
// CHECK-NEXT: "kind": "pod",
// CHECK-NEXT: "name": "Digest",
// CHECK-NEXT: "size": 32,
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <array>
#include <cstdint>
#include <span>

class K42_EXPORT BlockDevice {
public:
  virtual ~BlockDevice() = default;

  virtual k42::Status write(uint64_t Lba, std::span<const uint8_t> Data) = 0;
  virtual k42::Status checksum(uint64_t Lba,
                               std::array<uint8_t, 32> &Digest) = 0;
};
