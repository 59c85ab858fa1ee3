// SPDX-License-Identifier: Apache-2.0
// stubc-0003, bad: two methods of one interface given the same K42_METHOD_ID.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>
#include <string_view>

class K42_EXPORT FileServer {
public:
  virtual ~FileServer() = default;

  K42_METHOD_ID(5) virtual k42::Status open(std::string_view Path) = 0;

  // CHECK: 0003-method-id-collision.bad.h:[[@LINE+4]]:40: error: method id 0x00000005 of 'close' is already used by 'open' [stubc-0003]
  // CHECK-NEXT: [[@LINE+3]] | K42_METHOD_ID(5) virtual k42::Status close(uint32_t Fd) = 0;
  // CHECK-NEXT: {{^ +[|] +\^$}}
  // CHECK-NEXT: 0003-method-id-collision.bad.h:[[@LINE-5]]:40: note: 'open' declared here
  K42_METHOD_ID(5) virtual k42::Status close(uint32_t Fd) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}1 error generated.
