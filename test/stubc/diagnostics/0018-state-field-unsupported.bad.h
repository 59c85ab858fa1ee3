// SPDX-License-Identifier: Apache-2.0
//
// stubc-0018 (state field of an unsupported type): the bad example.
// See stubc/docs/diagnostics/stubc-0018.md.
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

#include <map>
class Directory {
public:
// CHECK: 0018-state-field-unsupported.bad.h:[[@LINE+4]]:40: error: K42_STATE field 'Entries' has type 'std::map<std::string, int>' (aka 'map<basic_string<char>, int>'), which hot swap cannot transfer [stubc-0018]
// CHECK-NEXT: {{^ *[0-9]+ [|]}} K42_STATE std::map<std::string, int> Entries;
// CHECK-NEXT: {{^ +[|] +[~ ]*\^}}
// CHECK: note: supported: arithmetic and enum types
  K42_STATE std::map<std::string, int> Entries;
};

// CHECK: {{^}}1 error generated.
