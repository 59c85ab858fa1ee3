//===- test/unit/VdsoSymbolTest.cpp - The vDSO's own functions ------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// VdsoSymbol::find: the vDSO's clock_gettime, found in this process's
/// vDSO, answers as glibc's does; names that are not functions of the
/// vDSO are not found.
///
//===----------------------------------------------------------------------===//

#include "k42/personality/VdsoSymbol.h"

#include <gtest/gtest.h>

#include <ctime>

using k42::personality::VdsoSymbol;

namespace {

using ClockFn = int (*)(clockid_t, timespec *);

double at(const timespec &T) { return double(T.tv_sec) + T.tv_nsec / 1e9; }

TEST(VdsoSymbolTest, FindsTheVdsosClock) {
  auto Vdso =
      reinterpret_cast<ClockFn>(VdsoSymbol::find("__vdso_clock_gettime"));
  ASSERT_NE(Vdso, nullptr);
  timespec Before, Between, After;
  ASSERT_EQ(clock_gettime(CLOCK_MONOTONIC, &Before), 0);
  ASSERT_EQ(Vdso(CLOCK_MONOTONIC, &Between), 0);
  ASSERT_EQ(clock_gettime(CLOCK_MONOTONIC, &After), 0);
  EXPECT_LE(at(Before), at(Between));
  EXPECT_LE(at(Between), at(After));
  EXPECT_NE(VdsoSymbol::find("__vdso_clock_getres"), nullptr);
}

TEST(VdsoSymbolTest, OtherNamesAreNotFound) {
  EXPECT_EQ(VdsoSymbol::find("__vdso_no_such_function"), nullptr);
  EXPECT_EQ(VdsoSymbol::find(""), nullptr);
  // The version's name is no function.
  EXPECT_EQ(VdsoSymbol::find("LINUX_2.6"), nullptr);
}

} // namespace
