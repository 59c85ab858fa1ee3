// SPDX-License-Identifier: Apache-2.0
//
// stubc-0024 (more than 64 rights): the bad example.
// See stubc/docs/diagnostics/stubc-0024.md.
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

// CHECK: 0024-too-many-rights.bad.h:[[@LINE+3]]:{{[0-9]+}}: error: 'Wide' declares 65 rights; a rights mask holds at most 64 [stubc-0024]
// CHECK-NEXT: {{^ *[0-9]+ [|]}} class K42_EXPORT K42_RIGHTS(r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, r13, r14, r15, r16, r17, r18, r19, r20, r21, r22, r23, r24, r25, r26, r27, r28, r29, r30, r31, r32, r33, r34, r35, r36, r37, r38, r39, r40, r41, r42, r43, r44, r45, r46, r47, r48, r49, r50, r51, r52, r53, r54, r55, r56, r57, r58, r59, r60, r61, r62, r63, r64) Wide {
// CHECK-NEXT: {{^ +[|] +[~ ]*\^}}
class K42_EXPORT K42_RIGHTS(r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, r13, r14, r15, r16, r17, r18, r19, r20, r21, r22, r23, r24, r25, r26, r27, r28, r29, r30, r31, r32, r33, r34, r35, r36, r37, r38, r39, r40, r41, r42, r43, r44, r45, r46, r47, r48, r49, r50, r51, r52, r53, r54, r55, r56, r57, r58, r59, r60, r61, r62, r63, r64) Wide {
public:
  virtual ~Wide() = default;
};

// CHECK: {{^}}1 error generated.
