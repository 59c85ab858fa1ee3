// SPDX-License-Identifier: Apache-2.0
//
// stubc-0010 (K42_LENGTH names no parameter): the bad example.
// See stubc/docs/diagnostics/stubc-0010.md.
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
// CHECK: 0010-length-not-a-parameter.bad.h:[[@LINE+3]]:62: error: K42_LENGTH(Bytes) on 'Data' does not name a parameter of 'write' [stubc-0010]
// CHECK-NEXT: {{^ *[0-9]+ [|]}} virtual k42::Status write(K42_LENGTH(Bytes) const uint8_t *Data, uint32_t Size) = 0;
// CHECK-NEXT: {{^ +[|] +[~ ]*\^}}
  virtual k42::Status write(K42_LENGTH(Bytes) const uint8_t *Data, uint32_t Size) = 0;
};

// CHECK: {{^}}1 error generated.
