// SPDX-License-Identifier: Apache-2.0
// stubc-0027, bad: decorations on the wrong kind of declaration: class
// decorations on a class that is not exported, K42_EXPORT on a method,
// K42_STATE on a method, K42_CALLER in a method that is not exported,
// K42_ONEWAY on a free function.
//
// REQUIRES: clang-plugin
// RUN: not %stubc --emit=json %s -- %k42_cxxflags 2>&1 | FileCheck %s
// RUN: not %clangxx -fsyntax-only -fplugin=%k42_plugin %k42_cxxflags -xc++ %s 2>&1 | FileCheck %s

#include <k42/idl.h>

#include <cstdint>

// CHECK: 0027-decoration-misplaced-kinds.bad.h:[[@LINE+2]]:7: error: K42_RIGHTS does not apply to a class that is not K42_EXPORT [stubc-0027]
// CHECK: 0027-decoration-misplaced-kinds.bad.h:[[@LINE+1]]:25: error: K42_VERSION does not apply to a class that is not K42_EXPORT [stubc-0027]
class K42_RIGHTS(admin) K42_VERSION(2) ConsoleHelper {
public:
  virtual ~ConsoleHelper() = default;

  // CHECK: 0027-decoration-misplaced-kinds.bad.h:[[@LINE+1]]:3: error: K42_EXPORT does not apply to anything but a class [stubc-0027]
  K42_EXPORT virtual k42::Status flush() = 0;
  // CHECK: 0027-decoration-misplaced-kinds.bad.h:[[@LINE+1]]:3: error: K42_STATE does not apply to anything but a non-static data member [stubc-0027]
  K42_STATE virtual k42::Status lines(uint64_t &Count) = 0;
  // CHECK: 0027-decoration-misplaced-kinds.bad.h:[[@LINE+1]]:30: error: K42_CALLER does not apply to a parameter of a method that is not exported [stubc-0027]
  virtual k42::Status whoAmI(K42_CALLER const k42::Badge &Caller) = 0;
};

// CHECK: 0027-decoration-misplaced-kinds.bad.h:[[@LINE+1]]:1: error: K42_ONEWAY does not apply to anything but a method [stubc-0027]
K42_ONEWAY void beep();

// CHECK-NOT: error:
// CHECK: {{^}}6 errors generated.
