// SPDX-License-Identifier: Apache-2.0
//
// stubc-0002 (overloaded exported name without an explicit id): the bad example.
// See stubc/docs/diagnostics/stubc-0002.md.
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

class K42_EXPORT K42_RIGHTS(write) Console {
public:
  virtual ~Console() = default;
  virtual k42::Status write(std::string_view Text) = 0;
// CHECK: 0002-overload-without-id.bad.h:[[@LINE+4]]:23: error: exported method name 'write' is overloaded; give every overload an explicit K42_METHOD_ID [stubc-0002]
// CHECK-NEXT: {{^ *[0-9]+ [|]}} virtual k42::Status write(uint32_t Code) = 0;
// CHECK-NEXT: {{^ +[|] +[~ ]*\^}}
// CHECK: note: 'write' declared here
  virtual k42::Status write(uint32_t Code) = 0;
};

// CHECK: {{^}}1 error generated.
