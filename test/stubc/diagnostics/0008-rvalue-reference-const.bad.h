// SPDX-License-Identifier: Apache-2.0
// stubc-0008, bad: a const rvalue reference; the fix-it must replace the
// whole type, const included.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s
// RUN: not %stubc --emit=json %s -- %k42_cxxflags -fdiagnostics-parseable-fixits 2>&1 | FileCheck %s --check-prefix=FIXIT

#include <k42/idl.h>

#include <string>

class K42_EXPORT Mailbox {
public:
  virtual ~Mailbox() = default;

  // CHECK: 0008-rvalue-reference-const.bad.h:[[@LINE+2]]:48: error: parameter 'Message' is an rvalue reference; a call cannot move an object into another address space [stubc-0008]
  // FIXIT: fix-it:"{{.*}}0008-rvalue-reference-const.bad.h":{[[@LINE+1]]:28-[[@LINE+1]]:48}:"const std::string &"
  virtual k42::Status post(const std::string &&Message) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}1 error generated.
