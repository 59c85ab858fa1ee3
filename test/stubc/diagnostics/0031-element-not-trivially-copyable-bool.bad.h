// SPDX-License-Identifier: Apache-2.0
// stubc-0031, bad: elements that are pointers, or bool (std::vector<bool> has
// no array of bools to copy).
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>
#include <span>
#include <vector>

class K42_EXPORT Index {
public:
  virtual ~Index() = default;

  // CHECK: 0031-element-not-trivially-copyable-bool.bad.h:[[@LINE+3]]:{{[0-9]+}}: error: parameter 'Present' carries elements of type 'bool', which are not trivially copyable [stubc-0031]
  // CHECK: 0031-element-not-trivially-copyable-bool.bad.h:[[@LINE+3]]:{{[0-9]+}}: error: parameter 'Names' carries elements of type 'const char *', which are not trivially copyable [stubc-0031]
  // CHECK: 0031-element-not-trivially-copyable-bool.bad.h:[[@LINE+3]]:{{[0-9]+}}: error: parameter 'Keys' carries elements of type 'const uint64_t *'{{.*}}, which are not trivially copyable [stubc-0031]
  virtual k42::Status probe(std::vector<bool> &Present) = 0;
  virtual k42::Status name(std::span<const char *const> Names) = 0;
  virtual k42::Status find(K42_LENGTH(N) const uint64_t **Keys, uint32_t N) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}3 errors generated.
