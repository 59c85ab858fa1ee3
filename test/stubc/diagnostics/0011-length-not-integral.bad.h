// SPDX-License-Identifier: Apache-2.0
//
// stubc-0011 (K42_LENGTH names a non-integral parameter): the bad example.
// See stubc/docs/diagnostics/stubc-0011.md.
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
// CHECK: 0011-length-not-integral.bad.h:[[@LINE+4]]:61: error: K42_LENGTH(Size) on 'Data' names a parameter of type 'double'; the element count must be an integer passed by value [stubc-0011]
// CHECK-NEXT: {{^ *[0-9]+ [|]}} virtual k42::Status write(K42_LENGTH(Size) const uint8_t *Data, double Size) = 0;
// CHECK-NEXT: {{^ +[|] +[~ ]*\^}}
// CHECK: note: 'Size' declared here
  virtual k42::Status write(K42_LENGTH(Size) const uint8_t *Data, double Size) = 0;
};

// CHECK: {{^}}1 error generated.
