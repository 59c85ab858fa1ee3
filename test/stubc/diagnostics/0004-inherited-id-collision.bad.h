// SPDX-License-Identifier: Apache-2.0
//
// stubc-0004 (method id collides with an inherited method): the bad example.
// See stubc/docs/diagnostics/stubc-0004.md.
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

class K42_EXPORT File {
public:
  virtual ~File() = default;
  K42_METHOD_ID(1) virtual k42::Status read(uint64_t &Size) = 0;
};

class K42_EXPORT Socket : public File {
public:
// CHECK: 0004-inherited-id-collision.bad.h:[[@LINE+4]]:40: error: method id 0x00000001 of 'shutdown' is already used by 'read', inherited from File [stubc-0004]
// CHECK-NEXT: {{^ *[0-9]+ [|]}} K42_METHOD_ID(1) virtual k42::Status shutdown() = 0;
// CHECK-NEXT: {{^ +[|] +[~ ]*\^}}
// CHECK: note: 'read' declared here
  K42_METHOD_ID(1) virtual k42::Status shutdown() = 0;
};

// CHECK: {{^}}1 error generated.
