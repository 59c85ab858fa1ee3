// SPDX-License-Identifier: Apache-2.0
//
// stubc-0036 (unusable right name): the bad example.
// See stubc/docs/diagnostics/stubc-0036.md.
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

// CHECK: 0036-invalid-right-name.bad.h:[[@LINE+3]]:18: error: right name 'all' is not usable: a right is a C++ identifier, and 'all' and 'none' are reserved [stubc-0036]
// CHECK-NEXT: {{^ *[0-9]+ [|]}} class K42_EXPORT K42_RIGHTS(read, all) File {
// CHECK-NEXT: {{^ +[|] +[~ ]*\^}}
class K42_EXPORT K42_RIGHTS(read, all) File {
public:
  virtual ~File() = default;
};

// CHECK: {{^}}1 error generated.
