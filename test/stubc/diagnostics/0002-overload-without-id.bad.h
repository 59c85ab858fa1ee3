// SPDX-License-Identifier: Apache-2.0
// stubc-0002, bad: two overloads of one exported name, neither with an id.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>
#include <string_view>

class K42_EXPORT Console {
public:
  virtual ~Console() = default;

  virtual k42::Status write(std::string_view Text) = 0;

  // CHECK: 0002-overload-without-id.bad.h:[[@LINE+4]]:23: error: exported method name 'write' is overloaded; give every overload an explicit K42_METHOD_ID [stubc-0002]
  // CHECK-NEXT: [[@LINE+3]] | virtual k42::Status write(uint32_t Code) = 0;
  // CHECK-NEXT: {{^ +[|] +\^$}}
  // CHECK-NEXT: 0002-overload-without-id.bad.h:[[@LINE-5]]:23: note: 'write' declared here
  virtual k42::Status write(uint32_t Code) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}1 error generated.
