// SPDX-License-Identifier: Apache-2.0
//
// stubc-0034 (exported base not public): the bad example.
// See stubc/docs/diagnostics/stubc-0034.md.
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
// CHECK: 0034-non-public-exported-base.bad.h:[[@LINE+3]]:25: error: exported interface 'File' must derive publicly from 'Readable' [stubc-0034]
// CHECK-NEXT: {{^ *[0-9]+ [|]}} class K42_EXPORT File : private Readable {
// CHECK-NEXT: {{^ +[|] +[~ ]*\^}}
class K42_EXPORT File : private Readable {
};

// CHECK: {{^}}1 error generated.
