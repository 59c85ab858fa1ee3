// SPDX-License-Identifier: Apache-2.0
// stubc-0004, bad: a derived interface reuses the id of an inherited method.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>

class K42_EXPORT Stream {
public:
  virtual ~Stream() = default;

  K42_METHOD_ID(1) virtual k42::Status available(uint64_t &Bytes) = 0;
};

class K42_EXPORT Socket : public Stream {
public:
  // CHECK: 0004-inherited-id-collision.bad.h:[[@LINE+4]]:40: error: method id 0x00000001 of 'shutdown' is already used by 'available', inherited from 'Stream' [stubc-0004]
  // CHECK-NEXT: [[@LINE+3]] | K42_METHOD_ID(1) virtual k42::Status shutdown() = 0;
  // CHECK-NEXT: {{^ +[|] +\^$}}
  // CHECK-NEXT: 0004-inherited-id-collision.bad.h:[[@LINE-8]]:40: note: 'available' declared here
  K42_METHOD_ID(1) virtual k42::Status shutdown() = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}1 error generated.
