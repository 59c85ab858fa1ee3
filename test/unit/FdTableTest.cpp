//===- test/unit/FdTableTest.cpp - The personality's descriptors ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/FdTable.h"

#include "k42/personality/GateHeap.h"

#include <gtest/gtest.h>

using namespace k42::personality;

namespace {

TEST(FdTableTest, HostDescriptorsHaveNoEntry) {
  FdTable T;
  for (long Fd : {0L, 1L, 2L, 500L, 1023L})
    EXPECT_EQ(T.get(Fd), nullptr);
  for (long Fd : {-1L, 1024L, 1L << 40})
    EXPECT_EQ(T.get(Fd), nullptr);
  EXPECT_EQ(T.count(), 0);
}

TEST(FdTableTest, DupSharesOneFileUntilTheLastClose) {
  FdTable T;
  OpenFile *F = GateHeap::make<OpenFile>();
  ASSERT_NE(F, nullptr);
  ASSERT_TRUE(T.install(3, F));
  ASSERT_TRUE(T.install(7, F)); // dup
  EXPECT_EQ(T.get(3), F);
  EXPECT_EQ(T.get(7), F);
  EXPECT_EQ(F->Refs, 2u);
  EXPECT_EQ(T.count(), 2);
  // The server handle is the file's, so both descriptors see it.
  T.get(3)->Server.Owner = 42;
  EXPECT_EQ(T.get(7)->Server.Owner, 42);
  OpenFile *Gone = T.remove(3);
  EXPECT_EQ(Gone, F);
  EXPECT_FALSE(FdTable::release(Gone));
  EXPECT_EQ(T.get(3), nullptr);
  Gone = T.remove(7);
  EXPECT_TRUE(FdTable::release(Gone));
  GateHeap::destroy(Gone);
  EXPECT_EQ(T.count(), 0);
}

TEST(FdTableTest, OutOfRangeIsRefused) {
  FdTable T;
  OpenFile F;
  EXPECT_FALSE(T.install(-1, &F));
  EXPECT_FALSE(T.install(FdTable::MaxFds, &F));
  EXPECT_FALSE(T.install(5, nullptr));
  EXPECT_EQ(T.remove(-3), nullptr);
  EXPECT_EQ(T.remove(5), nullptr);
  EXPECT_FALSE(FdTable::release(nullptr));
  EXPECT_EQ(F.Refs, 0u);
}

} // namespace
