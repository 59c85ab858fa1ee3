// SPDX-License-Identifier: Apache-2.0
// stubc-0003, bad: an explicit id equal to another method's hashed id
// (0x651fe39c is fnv1a32("FileServer::open")).
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

  virtual k42::Status open(std::string_view Path) = 0;

  // CHECK: 0003-method-id-collision-hashed.bad.h:[[@LINE+2]]:49: error: method id 0x651fe39c of 'close' is already used by 'open' [stubc-0003]
  // CHECK: 0003-method-id-collision-hashed.bad.h:[[@LINE-3]]:23: note: 'open' declared here
  K42_METHOD_ID(0x651fe39c) virtual k42::Status close(uint32_t Fd) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}1 error generated.
