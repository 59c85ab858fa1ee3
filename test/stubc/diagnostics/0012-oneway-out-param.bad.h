// SPDX-License-Identifier: Apache-2.0
//
// stubc-0012 (one-way method with an out parameter): the bad example.
// See stubc/docs/diagnostics/stubc-0012.md.
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

class K42_EXPORT K42_RIGHTS(notify) Watcher {
public:
  virtual ~Watcher() = default;
// CHECK: 0012-oneway-out-param.bad.h:[[@LINE+3]]:63: error: one-way method 'changed' cannot have out parameter 'Seen': nobody waits for the reply [stubc-0012]
// CHECK-NEXT: {{^ *[0-9]+ [|]}} K42_ONEWAY virtual void changed(uint64_t Version, uint64_t &Seen) = 0;
// CHECK-NEXT: {{^ +[|] +[~ ]*\^}}
  K42_ONEWAY virtual void changed(uint64_t Version, uint64_t &Seen) = 0;
};

// CHECK: {{^}}1 error generated.
