// SPDX-License-Identifier: Apache-2.0
// stubc-0007, bad: a class with virtual functions and a std::map, neither of
// which can be copied as bytes.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>
#include <map>
#include <string>

class Region {
public:
  virtual ~Region() = default;
  uint64_t Base = 0;
  uint64_t Size = 0;
};

class K42_EXPORT AddressSpace {
public:
  virtual ~AddressSpace() = default;

  // CHECK: 0007-no-marshalling-rule-polymorphic.bad.h:[[@LINE+2]]:41: error: parameter 'R' has type 'const Region &', which is not trivially copyable and has no marshalling rule [stubc-0007]
  // CHECK: 0007-no-marshalling-rule-polymorphic.bad.h:[[@LINE+2]]:72: error: parameter 'Env' has type 'const std::map<std::string, std::string> &'{{.*}}, which is not trivially copyable and has no marshalling rule [stubc-0007]
  virtual k42::Status map(const Region &R) = 0;
  virtual k42::Status setEnv(const std::map<std::string, std::string> &Env) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}2 errors generated.
