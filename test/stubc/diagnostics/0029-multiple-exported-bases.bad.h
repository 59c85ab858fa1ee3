// SPDX-License-Identifier: Apache-2.0
//
// stubc-0029 (more than one exported base): the bad example.
// See stubc/docs/diagnostics/stubc-0029.md.
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

class K42_EXPORT Readable {
public:
  virtual ~Readable() = default;
};
class K42_EXPORT Writable {
public:
  virtual ~Writable() = default;
};
// CHECK: 0029-multiple-exported-bases.bad.h:[[@LINE+3]]:42: error: exported interface 'File' derives from more than one exported interface ('Readable' and 'Writable') [stubc-0029]
// CHECK-NEXT: {{^ *[0-9]+ [|]}} class K42_EXPORT File : public Readable, public Writable {
// CHECK-NEXT: {{^ +[|] +[~ ]*\^}}
class K42_EXPORT File : public Readable, public Writable {
};

// CHECK: {{^}}1 error generated.
