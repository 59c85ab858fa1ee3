// SPDX-License-Identifier: Apache-2.0
// stubc-0027, bad: decorations on members an exported class does not export:
// a private method, a static factory, an operator.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <string_view>

class K42_EXPORT K42_RIGHTS(write, admin) Console {
public:
  virtual ~Console() = default;

  // CHECK: 0027-decoration-misplaced-private.bad.h:[[@LINE+1]]:3: error: K42_REQUIRES does not apply to a method that is not exported (exported methods are public and non-static, and not constructors, destructors or operators) [stubc-0027]
  K42_REQUIRES(admin) static k42::Status create(std::string_view Name);

  // CHECK: 0027-decoration-misplaced-private.bad.h:[[@LINE+1]]:3: error: K42_ONEWAY does not apply to a method that is not exported (exported methods are public and non-static, and not constructors, destructors or operators) [stubc-0027]
  K42_ONEWAY Console &operator<<(std::string_view Text);

  K42_REQUIRES(write) virtual k42::Status write(std::string_view Text) = 0;

private:
  // CHECK: 0027-decoration-misplaced-private.bad.h:[[@LINE+1]]:3: error: K42_REQUIRES does not apply to a method that is not exported (exported methods are public and non-static, and not constructors, destructors or operators) [stubc-0027]
  K42_REQUIRES(admin) virtual k42::Status reset() = 0;
};

// CHECK-NOT: error:
// CHECK: {{^}}3 errors generated.
