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

TEST(FdTableTest, HoldKeepsAFileAliveAcrossAnotherClose) {
  FdTable T;
  OpenFile *A = GateHeap::make<OpenFile>();
  OpenFile *B = GateHeap::make<OpenFile>();
  ASSERT_NE(A, nullptr);
  ASSERT_NE(B, nullptr);
  ASSERT_TRUE(T.install(3, A));
  ASSERT_TRUE(T.install(4, B));
  ASSERT_TRUE(T.install(9, A)); // dup: held once
  A->LockFd = 1;                // what the match looks at
  OpenFile *Found[4] = {};
  int N = T.hold(Found, 4, [](const OpenFile &F) { return F.LockFd == 1; });
  ASSERT_EQ(N, 1);
  EXPECT_EQ(Found[0], A);
  EXPECT_EQ(A->Refs, 3u);
  EXPECT_EQ(B->Refs, 1u);
  // Another thread closes both descriptors of A: its file stays for the
  // holder, whose release is the last.
  EXPECT_FALSE(FdTable::release(T.remove(3)));
  EXPECT_FALSE(FdTable::release(T.remove(9)));
  EXPECT_EQ(A->LockFd, 1);
  EXPECT_TRUE(FdTable::release(Found[0]));
  GateHeap::destroy(A);
  // A batch stops at its room; what is left is found by the next.
  ASSERT_TRUE(T.install(5, B));
  N = T.hold(Found, 1, [](const OpenFile &) { return true; });
  EXPECT_EQ(N, 1);
  EXPECT_EQ(Found[0], B);
  EXPECT_FALSE(FdTable::release(Found[0]));
  EXPECT_FALSE(FdTable::release(T.remove(4)));
  EXPECT_TRUE(FdTable::release(T.remove(5)));
  GateHeap::destroy(B);
  EXPECT_EQ(T.count(), 0);
}

/// What a test's holder drops: counted, and the last one recycles.
int Dropped = 0;
void dropForTest(OpenFile *F) {
  ++Dropped;
  if (FdTable::release(F))
    FdTable::recycle(F);
}

TEST(FdTableTest, HeldFileOutlivesItsDescriptor) {
  FdTable T;
  OpenFile *F = FdTable::makeFile();
  ASSERT_NE(F, nullptr);
  EXPECT_EQ(F->Refs, 0u);
  ASSERT_TRUE(T.install(4, F));
  OpenFile *Held = T.hold(4, dropForTest);
  ASSERT_EQ(Held, F);
  EXPECT_EQ(F->Refs, 2u);
  // Another thread's close: the descriptor goes at once, the file stays
  // for the call that holds it, and the call's release is the last.
  EXPECT_FALSE(FdTable::release(T.remove(4)));
  EXPECT_EQ(T.hold(4, dropForTest), nullptr);
  EXPECT_EQ(F->Refs, 1u);
  EXPECT_TRUE(FdTable::release(Held));
  FdTable::recycle(F);
  EXPECT_EQ(Dropped, 0);
}

TEST(FdTableTest, AFreedFileIsNeverHeldAgain) {
  FdTable T;
  OpenFile *F = FdTable::makeFile();
  ASSERT_TRUE(T.install(6, F));
  EXPECT_TRUE(FdTable::release(T.remove(6)));
  FdTable::recycle(F);
  // Its count reads zero in the pool: a look from a stale pointer fails.
  EXPECT_FALSE(FdTable::retainLive(F));
  // The pool gives it out again, as a file no descriptor holds yet.
  OpenFile *Again = FdTable::makeFile();
  EXPECT_EQ(Again, F);
  EXPECT_EQ(Again->Refs, 0u);
  EXPECT_EQ(Again->Desc, nullptr);
  EXPECT_EQ(Again->LockFd, -1);
  // Installed at another number, it is that number's file, not 6's.
  ASSERT_TRUE(T.install(8, Again));
  EXPECT_EQ(T.hold(6, dropForTest), nullptr);
  OpenFile *Held = T.hold(8, dropForTest);
  EXPECT_EQ(Held, Again);
  EXPECT_FALSE(FdTable::release(Held));
  EXPECT_TRUE(FdTable::release(T.remove(8)));
  FdTable::recycle(Again);
  EXPECT_EQ(Dropped, 0);
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
