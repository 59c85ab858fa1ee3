//===- test/unit/FdTableTest.cpp - The personality's descriptors ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/FdTable.h"

#include "k42/personality/GateHeap.h"
#include "k42/personality/HeldScan.h"
#include "k42/personality/RefCount.h"

#include <gtest/gtest.h>

using namespace k42::personality;

namespace {

TEST(FdTableTest, HostDescriptorsHaveNoEntry) {
  FdTable T;
  for (long Fd : {0L, 1L, 2L, 500L, 1023L})
    EXPECT_EQ(T.get(Fd), nullptr);
  for (long Fd : {-1L, 1024L, 5000L, long(FdTable::MaxFds), 1L << 40})
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

TEST(FdTableTest, AScanFindsTheHoldsMarkedAboveIt) {
  OpenFile *F = FdTable::makeFile();
  ASSERT_NE(F, nullptr);
  // A caller's hold, as Held<T> marks it; the scan runs in a callee.
  alignas(16) volatile unsigned __int128 Mark = HeldScan::mark(F);
  (void)Mark; // read by the scan, through memory
  HeldScan Scan;
  Scan.scan();
  ASSERT_TRUE(Scan.known());
  int Marked = Scan.holds(F);
  EXPECT_GE(Marked, 1);
  Mark = 0; // let go: one fewer (the compiler may have left a copy)
  Scan.scan();
  ASSERT_TRUE(Scan.known());
  EXPECT_EQ(Scan.holds(F), Marked - 1);
  FdTable::recycle(F);
}

TEST(FdTableTest, AScanTakesOnlyMarksInTheirOrder) {
  int Object;
  alignas(16) uintptr_t Words[8] = {};
  auto *Marks = reinterpret_cast<unsigned __int128 *>(Words);
  Marks[1] = HeldScan::mark(&Object);
  // The same two words the other way round (registers saved in a signal
  // frame, say) are not a hold.
  Words[6] = Words[3];
  Words[7] = Words[2];
  HeldScan Scan;
  Scan.scanRange(reinterpret_cast<uintptr_t>(Words),
                 reinterpret_cast<uintptr_t>(Words + 8));
  ASSERT_TRUE(Scan.known());
  EXPECT_EQ(Scan.holds(&Object), 1);
  // More holds than it keeps: not known, so nothing is recounted.
  alignas(16) unsigned __int128 Many[HeldScan::MaxHolds + 1];
  for (auto &M : Many)
    M = HeldScan::mark(&Object);
  Scan.scanRange(reinterpret_cast<uintptr_t>(Many),
                 reinterpret_cast<uintptr_t>(Many + HeldScan::MaxHolds + 1));
  EXPECT_FALSE(Scan.known());
}

/// Files a fork child's recount lets go.
OpenFile *LetGo[64];
int NumLetGo = 0;
void letGoForTest(OpenFile *F) {
  if (FdTable::release(F) && NumLetGo < 64)
    LetGo[NumLetGo++] = F;
}

TEST(FdTableTest, AForkChildCountsItsDescriptorsAndItsOwnHolds) {
  RefCount::threadStarting(); // the parent had a second thread
  FdTable T;
  OpenFile *Kept = FdTable::makeFile();
  OpenFile *Mine = FdTable::makeFile();
  OpenFile *Lost = FdTable::makeFile();
  ASSERT_TRUE(Kept && Mine && Lost);
  // Kept: two descriptors, and another thread's call in progress.
  ASSERT_TRUE(T.install(3, Kept));
  ASSERT_TRUE(T.install(4, Kept));
  ASSERT_TRUE(FdTable::retainLive(Kept));
  // Mine: a descriptor, and a call of the forking thread (a signal
  // handler forked inside it), which returns in the child.
  ASSERT_TRUE(T.install(5, Mine));
  ASSERT_TRUE(FdTable::retainLive(Mine));
  // Lost: its descriptor closed, held by another thread's call only.
  ASSERT_TRUE(T.install(6, Lost));
  ASSERT_TRUE(FdTable::retainLive(Lost));
  EXPECT_FALSE(FdTable::release(T.remove(6)));
  alignas(16) unsigned __int128 Stack[2] = {HeldScan::mark(Mine), 0};
  HeldScan Scan;
  Scan.scanRange(reinterpret_cast<uintptr_t>(Stack),
                 reinterpret_cast<uintptr_t>(Stack + 2));
  NumLetGo = 0;
  T.DescriptorSlots<OpenFile>::forked(Scan, letGoForTest);
  EXPECT_EQ(Kept->Refs, 2u);
  EXPECT_EQ(Mine->Refs, 2u);
  EXPECT_EQ(Lost->Refs, 0u);
  bool LostLetGo = false, OthersKept = true;
  for (int I = 0; I < NumLetGo; ++I) {
    LostLetGo = LostLetGo || LetGo[I] == Lost;
    OthersKept = OthersKept && LetGo[I] != Kept && LetGo[I] != Mine;
  }
  EXPECT_TRUE(LostLetGo);
  EXPECT_TRUE(OthersKept);
  // The child's closes are then the last: each file goes with its last
  // descriptor, the forking thread's own call's release aside.
  EXPECT_FALSE(FdTable::release(T.remove(3)));
  EXPECT_TRUE(FdTable::release(T.remove(4)));
  EXPECT_FALSE(FdTable::release(T.remove(5)));
  EXPECT_TRUE(FdTable::release(Mine));
  FdTable::recycle(Kept);
  FdTable::recycle(Mine);
  FdTable::recycle(Lost);
}

TEST(FdTableTest, AForkChildKeepsEveryCountWhenItsHoldsAreNotKnown) {
  FdTable T;
  OpenFile *F = FdTable::makeFile();
  ASSERT_TRUE(T.install(3, F));
  ASSERT_TRUE(FdTable::retainLive(F));
  HeldScan Unknown; // on an alternate stack, say: never scanned
  NumLetGo = 0;
  T.DescriptorSlots<OpenFile>::forked(Unknown, letGoForTest);
  EXPECT_EQ(F->Refs, 2u);
  EXPECT_EQ(NumLetGo, 0);
  EXPECT_FALSE(FdTable::release(F));
  EXPECT_TRUE(FdTable::release(T.remove(3)));
  FdTable::recycle(F);
}

TEST(FdTableTest, NumbersPastTheFirstChunkHaveSlotsMadeAtTheirFirstUse) {
  FdTable T;
  EXPECT_EQ(T.end(), FdTable::ChunkFds);
  OpenFile *F = GateHeap::make<OpenFile>();
  ASSERT_NE(F, nullptr);
  // A removal or a look makes no chunk.
  EXPECT_EQ(T.remove(3000), nullptr);
  EXPECT_EQ(T.get(3000), nullptr);
  EXPECT_EQ(T.end(), FdTable::ChunkFds);
  ASSERT_TRUE(T.install(5000, F));
  EXPECT_EQ(T.end(), 5 * FdTable::ChunkFds);
  ASSERT_TRUE(T.install(FdTable::ChunkFds, F)); // dup, in another chunk
  ASSERT_TRUE(T.install(7, F));
  EXPECT_EQ(T.get(5000), F);
  EXPECT_EQ(T.get(5001), nullptr);
  EXPECT_EQ(T.get(3000), nullptr); // its chunk was never made
  EXPECT_EQ(T.count(), 3);
  EXPECT_EQ(F->Refs, 3u);
  long Seen[4] = {};
  int N = 0;
  T.forEach([&](long Fd, OpenFile *At) {
    EXPECT_EQ(At, F);
    if (N < 4)
      Seen[N] = Fd;
    ++N;
  });
  ASSERT_EQ(N, 3);
  EXPECT_EQ(Seen[0], 7);
  EXPECT_EQ(Seen[1], FdTable::ChunkFds);
  EXPECT_EQ(Seen[2], 5000);
  OpenFile *Held = T.hold(5000, [](OpenFile *) {});
  EXPECT_EQ(Held, F);
  EXPECT_EQ(F->Refs, 4u);
  EXPECT_FALSE(FdTable::release(Held));
  for (long Fd : {7L, long(FdTable::ChunkFds)})
    EXPECT_FALSE(FdTable::release(T.remove(Fd)));
  EXPECT_EQ(T.removeIf(5000, F), F);
  EXPECT_TRUE(FdTable::release(F));
  EXPECT_EQ(T.count(), 0);
  FdTable::recycle(F);
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
