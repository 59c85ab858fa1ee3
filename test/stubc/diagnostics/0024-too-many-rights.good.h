// SPDX-License-Identifier: Apache-2.0
// stubc-0024, good: 64 rights, bits 0 to 63.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK-NOT: {{error|warning}}
// CHECK: "rights": [
// CHECK: "bit": 0,
// CHECK-NEXT: "declaredBy": "DeviceTable",
// CHECK-NEXT: "name": "r0"
// CHECK: "bit": 63,
// CHECK-NEXT: "declaredBy": "DeviceTable",
// CHECK-NEXT: "name": "r63"
// CHECK-NOT: {{error|warning}}

#include <k42/idl.h>

#include <cstdint>

/// One right per device slot: r0 opens slot 0, and so on.
class K42_EXPORT K42_RIGHTS(
    r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, r13, r14, r15, r16,
    r17, r18, r19, r20, r21, r22, r23, r24, r25, r26, r27, r28, r29, r30, r31,
    r32, r33, r34, r35, r36, r37, r38, r39, r40, r41, r42, r43, r44, r45, r46,
    r47, r48, r49, r50, r51, r52, r53, r54, r55, r56, r57, r58, r59, r60, r61,
    r62, r63)
    DeviceTable {
public:
  virtual ~DeviceTable() = default;

  virtual k42::Status open(uint32_t Slot) = 0;
};
