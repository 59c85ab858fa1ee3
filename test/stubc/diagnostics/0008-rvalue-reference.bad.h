// SPDX-License-Identifier: Apache-2.0
//
// stubc-0008 (rvalue reference parameter): the bad example.
// See stubc/docs/diagnostics/stubc-0008.md.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s
// RUN: not %stubc --emit=json %s -- %k42_cxxflags -fdiagnostics-parseable-fixits 2>&1 | FileCheck %s --check-prefix=FIXIT
// FIXIT: fix-it:"{{.*}}0008-rvalue-reference.bad.h":{{[{]}}{{[0-9]+}}:28-{{[0-9]+}}:42}:"const std::string &"

#include <k42/idl.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

class K42_EXPORT Mailbox {
public:
  virtual ~Mailbox() = default;
// CHECK: 0008-rvalue-reference.bad.h:[[@LINE+3]]:42: error: parameter 'Message' is an rvalue reference; a call cannot move an object into another address space [stubc-0008]
// CHECK-NEXT: {{^ *[0-9]+ [|]}} virtual k42::Status post(std::string &&Message) = 0;
// CHECK-NEXT: {{^ +[|] +[~ ]*\^}}
  virtual k42::Status post(std::string &&Message) = 0;
};

// CHECK: {{^}}1 error generated.
