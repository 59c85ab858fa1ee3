// SPDX-License-Identifier: Apache-2.0
// stubc-0011, bad: the count is an out parameter (a reference), and a bool.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>

class K42_EXPORT Pipe {
public:
  virtual ~Pipe() = default;

  // CHECK: 0011-length-not-integral-reference.bad.h:[[@LINE+3]]:{{[0-9]+}}: error: K42_LENGTH(Read) on 'Data' names a parameter of type 'uint32_t &'{{.*}}; the element count must be an integer passed by value [stubc-0011]
  // CHECK: 0011-length-not-integral-reference.bad.h:[[@LINE+3]]:{{[0-9]+}}: note: 'Read' declared here
  // CHECK: 0011-length-not-integral-reference.bad.h:[[@LINE+3]]:{{[0-9]+}}: error: K42_LENGTH(One) on 'Data' names a parameter of type 'bool'; the element count must be an integer passed by value [stubc-0011]
  virtual k42::Status read(K42_LENGTH(Read) uint8_t *Data,
                           uint32_t &Read) = 0;
  virtual k42::Status put(K42_LENGTH(One) const uint8_t *Data, bool One) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}2 errors generated.
