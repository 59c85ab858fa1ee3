// SPDX-License-Identifier: Apache-2.0
// stubc-0011, bad: the K42_LENGTH count is a floating-point parameter.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>

class K42_EXPORT Audio {
public:
  virtual ~Audio() = default;

  // CHECK: 0011-length-not-integral.bad.h:[[@LINE+6]]:62: error: K42_LENGTH(Frames) on 'Samples' names a parameter of type 'double'; the element count must be an integer passed by value [stubc-0011]
  // CHECK-NEXT: [[@LINE+5]] | virtual k42::Status play(K42_LENGTH(Frames) const int16_t *Samples,
  // CHECK-NEXT: {{^ +[|] +\^$}}
  // CHECK-NEXT: 0011-length-not-integral.bad.h:[[@LINE+4]]:35: note: 'Frames' declared here
  // CHECK-NEXT: [[@LINE+3]] | double Frames) = 0;
  // CHECK-NEXT: {{^ +[|] +\^$}}
  virtual k42::Status play(K42_LENGTH(Frames) const int16_t *Samples,
                           double Frames) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}1 error generated.
