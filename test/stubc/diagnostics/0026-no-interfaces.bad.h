// SPDX-License-Identifier: Apache-2.0
// stubc-0026, bad: a header whose interface lacks K42_EXPORT, so stubc has
// nothing to generate. A warning: stubc exits 0 and prints an empty model.
//
// REQUIRES: clang-plugin
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: %stubc --emit=json %s -- %k42_cxxflags 2>/dev/null | FileCheck %s --check-prefix=JSON
// An ordinary compile includes many headers without interfaces, so the plugin
// does not report this one.
// RUN: %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -Werror -xc++ %s 2>&1 | count 0
// CHECK: {{^}}{{.*}}0026-no-interfaces.bad.h:1:1: warning: {{.*}}0026-no-interfaces.bad.h declares no K42_EXPORT class and no K42_STATE field; stubc generates nothing useful from it [stubc-0026]
// CHECK-NOT: error:
// CHECK: {{^}}1 warning generated.
// JSON: "interfaces": [],
// JSON: "stateClasses": []

#include <k42/idl.h>

#include <cstdint>

class Pager {
public:
  virtual ~Pager() = default;

  virtual k42::Status fault(uint64_t Address) = 0;
};
