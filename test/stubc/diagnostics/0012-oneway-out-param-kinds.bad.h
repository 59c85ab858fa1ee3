// SPDX-License-Identifier: Apache-2.0
// stubc-0012, bad: one-way methods with an out span, an inout string, an out
// handle and an out raw buffer; K42_CALLER is allowed.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>
#include <span>
#include <string>

class K42_EXPORT Logger {
public:
  virtual ~Logger() = default;

  // CHECK: 0012-oneway-out-param-kinds.bad.h:[[@LINE+4]]:{{[0-9]+}}: error: one-way method 'drain' cannot have out parameter 'Into': nobody waits for the reply [stubc-0012]
  // CHECK: 0012-oneway-out-param-kinds.bad.h:[[@LINE+4]]:{{[0-9]+}}: error: one-way method 'append' cannot have out parameter 'Line': nobody waits for the reply [stubc-0012]
  // CHECK: 0012-oneway-out-param-kinds.bad.h:[[@LINE+5]]:{{[0-9]+}}: error: one-way method 'rotate' cannot have out parameter 'NewLog': nobody waits for the reply [stubc-0012]
  // CHECK: 0012-oneway-out-param-kinds.bad.h:[[@LINE+5]]:{{[0-9]+}}: error: one-way method 'snapshot' cannot have out parameter 'Out': nobody waits for the reply [stubc-0012]
  K42_ONEWAY virtual void drain(std::span<uint8_t> Into) = 0;
  K42_ONEWAY virtual void append(K42_INOUT std::string &Line) = 0;
  K42_ONEWAY virtual void rotate(K42_CALLER const k42::Badge &Caller,
                                 k42::ObjectHandle &NewLog) = 0;
  K42_ONEWAY virtual void snapshot(K42_LENGTH(Size) uint8_t *Out,
                                   uint32_t Size) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}4 errors generated.
