// SPDX-License-Identifier: Apache-2.0
//
// stubc-0016 (unknown right): the bad example.
// See stubc/docs/diagnostics/stubc-0016.md.
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

class K42_EXPORT K42_RIGHTS(read, write) File {
public:
  virtual ~File() = default;
// CHECK: 0016-unknown-right.bad.h:[[@LINE+4]]:3: error: unknown right 'wrte' in 'truncate' (declared rights: 'read', 'write') [stubc-0016]
// CHECK-NEXT: {{^ *[0-9]+ [|]}} K42_REQUIRES(wrte) virtual k42::Status truncate(uint64_t Size) = 0;
// CHECK-NEXT: {{^ +[|] +[~ ]*\^}}
// CHECK: note: did you mean 'write'?
  K42_REQUIRES(wrte) virtual k42::Status truncate(uint64_t Size) = 0;
};

// CHECK: {{^}}1 error generated.
