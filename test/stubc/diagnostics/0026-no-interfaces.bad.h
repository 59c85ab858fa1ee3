// SPDX-License-Identifier: Apache-2.0
//
// stubc-0026 (nothing to generate): the bad example.
// See stubc/docs/diagnostics/stubc-0026.md.
//
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// CHECK: 0026-no-interfaces.bad.h:1:1: warning: {{.*}}0026-no-interfaces.bad.h declares no K42_EXPORT class and no K42_STATE field; stubc generates nothing useful from it [stubc-0026]
class Pager {
public:
  virtual ~Pager() = default;
  virtual k42::Status fault(uint64_t Address) = 0;
};

// CHECK: {{^}}1 warning generated.
