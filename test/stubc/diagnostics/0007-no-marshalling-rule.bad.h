// SPDX-License-Identifier: Apache-2.0
// stubc-0007, bad: an owning smart pointer as a parameter.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>
#include <memory>

struct Page {
  uint8_t Bytes[4000];
};

class K42_EXPORT Cache {
public:
  virtual ~Cache() = default;

  // CHECK: 0007-no-marshalling-rule.bad.h:[[@LINE+4]]:63: error: parameter 'Data' has type 'std::unique_ptr<Page>', which is not trivially copyable and has no marshalling rule [stubc-0007]
  // CHECK-NEXT: [[@LINE+3]] | virtual k42::Status put(uint64_t Key, std::unique_ptr<Page> Data) = 0;
  // CHECK-NEXT: {{^ +[|] +\^$}}
  // CHECK-NEXT: 0007-no-marshalling-rule.bad.h:[[@LINE+1]]:63: note: supported: arithmetic and enum types, trivially copyable classes, std::string, std::string_view, std::vector<T>, std::span<T>, k42::ObjectHandle
  virtual k42::Status put(uint64_t Key, std::unique_ptr<Page> Data) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}1 error generated.
