// SPDX-License-Identifier: Apache-2.0
// stubc-0019, bad: an out struct that cannot fit in the reply page.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>

struct Stats {
  uint64_t PerCpu[512];
};

class K42_EXPORT Scheduler {
public:
  virtual ~Scheduler() = default;

  // CHECK: 0019-message-too-big-reply.bad.h:[[@LINE+2]]:23: error: the reply of 'stats' needs at least 4104 bytes; a PPC page carries at most 4064 [stubc-0019]
  // CHECK: 0019-message-too-big-reply.bad.h:[[@LINE+1]]:23: note: largest fixed part: parameter 'Out' (4096 bytes)
  virtual k42::Status stats(uint64_t &Epoch, Stats &Out) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}1 error generated.
