// SPDX-License-Identifier: Apache-2.0
// stubc-0012, bad: a one-way method with an out parameter.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>

class K42_EXPORT Watcher {
public:
  virtual ~Watcher() = default;

  // CHECK: 0012-oneway-out-param.bad.h:[[@LINE+3]]:63: error: one-way method 'changed' cannot have out parameter 'Seen': nobody waits for the reply [stubc-0012]
  // CHECK-NEXT: [[@LINE+2]] | K42_ONEWAY virtual void changed(uint64_t Version, uint64_t &Seen) = 0;
  // CHECK-NEXT: {{^ +[|] +\^$}}
  K42_ONEWAY virtual void changed(uint64_t Version, uint64_t &Seen) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}1 error generated.
