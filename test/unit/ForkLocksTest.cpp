//===- test/unit/ForkLocksTest.cpp - Private locks across fork ------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/ForkLocks.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

using namespace k42::personality;

namespace {

// Registered in this order: Inner first, so prepare() takes it before it
// meets Outer.
GateLock Inner;
K42_HELD_ACROSS_FORK(Inner);
GateLock Outer;
K42_HELD_ACROSS_FORK(Outer);
// Registered twice, as a class template's lock may be: taken once.
GateLock Twice;
K42_HELD_ACROSS_FORK(Twice);
K42_HELD_ACROSS_FORK(Twice);

TEST(ForkLocksTest, PrepareTakesEveryLockOnceAndParentLetsGo) {
  EXPECT_GE(ForkLocks::count(), 3u);
  ForkLocks::prepare();
  EXPECT_FALSE(Inner.tryLock());
  EXPECT_FALSE(Outer.tryLock());
  EXPECT_FALSE(Twice.tryLock());
  ForkLocks::parent();
  for (GateLock *L : {&Inner, &Outer, &Twice}) {
    EXPECT_TRUE(L->tryLock());
    L->unlock();
  }
}

TEST(ForkLocksTest, ChildFindsThemFree) {
  ForkLocks::prepare();
  ForkLocks::child();
  for (GateLock *L : {&Inner, &Outer, &Twice}) {
    EXPECT_TRUE(L->tryLock());
    L->unlock();
  }
}

// Another thread holds Outer and, before letting go of it, takes Inner
// (the personality nests its locks so). prepare() must wait for Outer
// without holding Inner meanwhile, or both would wait for ever (the
// holder gives up on Inner after 2 s, so a failure does not hang).
TEST(ForkLocksTest, PrepareWaitsForABusyLockHoldingNone) {
  std::atomic<int> Step{0};
  bool GotInner = false;
  std::thread Holder([&] {
    Outer.lock();
    Step.store(1);
    while (Step.load() < 2)
      std::this_thread::yield();
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    auto Limit = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (!(GotInner = Inner.tryLock()) &&
           std::chrono::steady_clock::now() < Limit)
      std::this_thread::yield();
    if (GotInner)
      Inner.unlock();
    Step.store(3);
    Outer.unlock();
  });
  while (Step.load() < 1)
    std::this_thread::yield();
  Step.store(2);
  ForkLocks::prepare();
  // Only once the holder let go of Outer, after its nested Inner.
  EXPECT_EQ(Step.load(), 3);
  EXPECT_FALSE(Outer.tryLock());
  ForkLocks::parent();
  Holder.join();
  EXPECT_TRUE(GotInner);
}

} // namespace
