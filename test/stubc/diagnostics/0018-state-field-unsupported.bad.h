// SPDX-License-Identifier: Apache-2.0
// stubc-0018, bad: a K42_STATE field of a type hot swap cannot move.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>
#include <map>
#include <string>

class NameCache {
public:
  // CHECK: 0018-state-field-unsupported.bad.h:[[@LINE+5]]:45: error: K42_STATE field 'Entries' has type 'std::map<std::string, uint64_t>'{{.*}}, which hot swap cannot transfer [stubc-0018]
  // CHECK-NEXT: [[@LINE+4]] | K42_STATE std::map<std::string, uint64_t> Entries;
  // CHECK-NEXT: {{^ +[|] +\^$}}
  // CHECK-NEXT: 0018-state-field-unsupported.bad.h:[[@LINE+2]]:45: note: supported: arithmetic and enum types, trivially copyable classes, std::atomic of an arithmetic type, std::string, std::vector of a trivially copyable type
  K42_STATE uint64_t Hits = 0;
  K42_STATE std::map<std::string, uint64_t> Entries;
};

// CHECK-NOT: error:
// CHECK: {{^}}1 error generated.
