//===- test/unit/GateLockTest.cpp - The personality's lock ----------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/GateLock.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include <sys/auxv.h>

using namespace k42::personality;

namespace {

std::atomic<int> Released{0};
void countRelease() { Released.fetch_add(1); }

/// Holders are counted only where rdfsbase may be used (SignalDefer.h).
bool canCount() { return getauxval(AT_HWCAP2) & (1ul << 1); }

TEST(GateLockTest, CountsTheLocksEachThreadHolds) {
  if (!canCount())
    GTEST_SKIP() << "no HWCAP2_FSGSBASE: holders are not counted here";
  GateLock::countHolders(countRelease);
  GateLock A, B;
  EXPECT_FALSE(GateLock::heldByThisThread());
  A.lock();
  EXPECT_TRUE(GateLock::heldByThisThread());
  ASSERT_TRUE(B.tryLock());
  B.unlock();
  EXPECT_TRUE(GateLock::heldByThisThread()); // A still
  // Another thread holds none of this one's locks, and its own are not
  // this thread's.
  bool OtherSawHeld = true, OtherHeldB = false;
  std::thread Other([&] {
    OtherSawHeld = GateLock::heldByThisThread();
    B.lock();
    OtherHeldB = GateLock::heldByThisThread();
    B.unlock();
  });
  Other.join();
  EXPECT_FALSE(OtherSawHeld);
  EXPECT_TRUE(OtherHeldB);
  A.unlock();
  EXPECT_FALSE(GateLock::heldByThisThread());
  // A fork child's locks are reset, and no thread holds one.
  A.lock();
  A.reset();
  GateLock::forgetHolders();
  EXPECT_FALSE(GateLock::heldByThisThread());
}

TEST(GateLockTest, LettingGoRunsTheHookWhileSignalsWait) {
  if (!canCount())
    GTEST_SKIP() << "no HWCAP2_FSGSBASE: holders are not counted here";
  GateLock::countHolders(countRelease);
  GateLock A;
  Released.store(0);
  A.lock();
  A.unlock();
  EXPECT_EQ(Released.load(), 0); // nothing waits: one load, no call
  GateLock::deferred().fetch_add(1);
  A.lock();
  A.unlock();
  GateLock::deferred().fetch_sub(1);
  EXPECT_EQ(Released.load(), 1);
}

} // namespace
