// SPDX-License-Identifier: Apache-2.0
// stubc-0030, bad: K42_INOUT on in parameters: a const reference, a span of
// const elements, a scalar by value.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>
#include <span>
#include <string>

class K42_EXPORT Editor {
public:
  virtual ~Editor() = default;

  // CHECK: 0030-inout-not-reference-const.bad.h:[[@LINE+3]]:{{[0-9]+}}: error: K42_INOUT parameter 'Text' must be a non-const reference [stubc-0030]
  // CHECK: 0030-inout-not-reference-const.bad.h:[[@LINE+3]]:{{[0-9]+}}: error: K42_INOUT parameter 'Bytes' must be a non-const reference [stubc-0030]
  // CHECK: 0030-inout-not-reference-const.bad.h:[[@LINE+3]]:{{[0-9]+}}: error: K42_INOUT parameter 'Cursor' must be a non-const reference [stubc-0030]
  virtual k42::Status edit(K42_INOUT const std::string &Text) = 0;
  virtual k42::Status patch(K42_INOUT std::span<const uint8_t> Bytes) = 0;
  virtual k42::Status seek(K42_INOUT uint64_t Cursor) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}3 errors generated.
