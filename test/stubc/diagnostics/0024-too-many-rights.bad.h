// SPDX-License-Identifier: Apache-2.0
// stubc-0024, bad: an interface with 65 rights; a rights mask has 64 bits.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>

// CHECK: 0024-too-many-rights.bad.h:[[@LINE+10]]:5: error: 'DeviceTable' declares 65 rights; a rights mask holds at most 64 [stubc-0024]
// CHECK-NEXT: [[@LINE+9]] | DeviceTable {{[{]$}}
// CHECK-NEXT: {{^ +[|] +\^$}}
/// One right per device slot: r0 opens slot 0, and so on.
class K42_EXPORT K42_RIGHTS(
    r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, r13, r14, r15, r16,
    r17, r18, r19, r20, r21, r22, r23, r24, r25, r26, r27, r28, r29, r30, r31,
    r32, r33, r34, r35, r36, r37, r38, r39, r40, r41, r42, r43, r44, r45, r46,
    r47, r48, r49, r50, r51, r52, r53, r54, r55, r56, r57, r58, r59, r60, r61,
    r62, r63, r64)
    DeviceTable {
public:
  virtual ~DeviceTable() = default;

  virtual k42::Status open(uint32_t Slot) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}1 error generated.
