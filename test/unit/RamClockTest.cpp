//===- test/unit/RamClockTest.cpp - ramfs's file times ----------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// RamClock stamps as Linux's multigrain times: a change takes the coarse
/// clock's tick, unless the times were read since the last change and the
/// tick has not moved (then a fine time, later than the last); a fine time
/// is a floor under later coarse ones; relatime's access rule.
///
//===----------------------------------------------------------------------===//

#include "RamClock.h"

#include <gtest/gtest.h>

using namespace k42::ramfs;

namespace {

int64_t ns(int64_t Sec, int64_t Nsec) { return Sec * 1000000000 + Nsec; }
int64_t ctimeOf(const RamInode &N) {
  return ns(N.Attr.CtimeSec, N.Attr.CtimeNsec);
}
int64_t coarseNow() {
  timespec T;
  clock_gettime(CLOCK_REALTIME_COARSE, &T);
  return ns(T.tv_sec, T.tv_nsec);
}

TEST(RamClockTest, ChangeTakesTheTickUnlessQueried) {
  RamInode N;
  // Each try starts at a new tick (the fine times of earlier tries, and of
  // earlier tests, are a floor above the tick they were taken in); the
  // tick may still move between the reads (then try again).
  bool Coarse = false, Fine = false;
  for (int Try = 0; Try < 100 && !(Coarse && Fine); ++Try) {
    int64_t Tick = coarseNow();
    while (coarseNow() == Tick)
      ;
    Tick = coarseNow();
    RamClock::changed(N, true);
    int64_t First = ctimeOf(N);
    RamClock::changed(N, true);
    int64_t Second = ctimeOf(N);
    RamClock::queried(N);
    RamClock::changed(N, true);
    int64_t Third = ctimeOf(N);
    if (coarseNow() != Tick)
      continue;
    // Not queried: the same stamp (the tick, or a floor above it).
    EXPECT_EQ(First, Second);
    EXPECT_GE(First, Tick);
    Coarse = Coarse || First == Tick;
    // Queried: later than what was seen, and the modification time too.
    EXPECT_GT(Third, Second);
    EXPECT_EQ(ns(N.Attr.MtimeSec, N.Attr.MtimeNsec), Third);
    Fine = true;
    // The fine time is a floor: the next unqueried change is not earlier.
    RamClock::changed(N, false);
    EXPECT_GE(ctimeOf(N), Third);
  }
  EXPECT_TRUE(Coarse);
  EXPECT_TRUE(Fine);
}

TEST(RamClockTest, ChangeTimeOnlyLeavesModification) {
  RamInode N;
  N.Attr.MtimeSec = 5;
  RamClock::changed(N, false);
  EXPECT_EQ(N.Attr.MtimeSec, 5);
  EXPECT_GT(N.Attr.CtimeSec, 5);
}

TEST(RamClockTest, RelatimeAccess) {
  RamInode N;
  RamClock::changed(N, true);
  N.Attr.AtimeSec = 1; // before the modification: moved
  RamClock::accessed(N);
  EXPECT_GE(ns(N.Attr.AtimeSec, N.Attr.AtimeNsec), ctimeOf(N));
  timespec Later = RamClock::coarse();
  N.Attr.AtimeSec = Later.tv_sec + 3600; // after both, not a day old: kept
  N.Attr.AtimeNsec = 7;
  RamClock::accessed(N);
  EXPECT_EQ(N.Attr.AtimeSec, Later.tv_sec + 3600);
  EXPECT_EQ(N.Attr.AtimeNsec, 7);
  N.Attr.MtimeSec = N.Attr.CtimeSec = 2;
  N.Attr.AtimeSec = Later.tv_sec - 2 * 24 * 3600; // two days old: moved
  RamClock::accessed(N);
  EXPECT_GE(N.Attr.AtimeSec, Later.tv_sec);
}

} // namespace
