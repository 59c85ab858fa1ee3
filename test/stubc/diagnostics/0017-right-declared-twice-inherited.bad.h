// SPDX-License-Identifier: Apache-2.0
// stubc-0017, bad: a derived interface declares again a right it inherits.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <string>

class K42_EXPORT K42_RIGHTS(read, write) File {
public:
  virtual ~File() = default;
};

// CHECK: 0017-right-declared-twice-inherited.bad.h:[[@LINE+1]]:18: error: right 'write' is declared twice in 'Dir' [stubc-0017]
class K42_EXPORT K42_RIGHTS(write, list) Dir : public File {
public:
  K42_REQUIRES(list) virtual k42::Status entries(std::string &Names) = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}1 error generated.
