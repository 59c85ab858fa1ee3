//===- test/unit/GateLockTest.cpp - The personality's lock ----------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/GateLock.h"

#include <gtest/gtest.h>

#include <atomic>
#include <new>
#include <thread>

#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

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

namespace {

/// A lock in memory this process and its fork children share, as a file
/// description's is.
GateLock *sharedLock() {
  void *At = mmap(nullptr, 4096, PROT_READ | PROT_WRITE,
                  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  return At == MAP_FAILED ? nullptr : new (At) GateLock;
}

/// A child that takes \p L and dies holding it; its pid.
pid_t dieHolding(GateLock &L) {
  pid_t Child = fork();
  if (Child == 0) {
    GateLock::recordHolders(int32_t(getpid()));
    L.lock();
    _exit(0);
  }
  return Child;
}

} // namespace

// A process killed inside a write holds its description's lock for ever:
// the next holder takes it over once it sees the holder gone, a zombie
// (its parent, the waiter, has not reaped it) or no process at all.
TEST(GateLockTest, ALockWhoseHolderDiedIsTakenOver) {
  GateLock *L = sharedLock();
  ASSERT_NE(L, nullptr);
  GateLock::recordHolders(int32_t(getpid()));
  for (bool Reaped : {false, true}) {
    pid_t Child = dieHolding(*L);
    ASSERT_GT(Child, 0);
    // Dead once waitid says so, without reaping it (WNOWAIT).
    siginfo_t Info{};
    ASSERT_EQ(waitid(P_PID, id_t(Child), &Info, WEXITED | WNOWAIT), 0);
    if (Reaped)
      ASSERT_EQ(waitpid(Child, nullptr, 0), Child);
    EXPECT_FALSE(L->tryLock());
    L->lock(); // returns: taken over (before, it waited for ever)
    L->unlock();
    EXPECT_TRUE(L->tryLock()); // free again, and takes as before
    L->unlock();
    if (!Reaped)
      ASSERT_EQ(waitpid(Child, nullptr, 0), Child);
  }
  GateLock::recordHolders(0);
  munmap(L, 4096);
}

// A live holder in another process is waited for, never taken over,
// however long it holds the lock (past HolderCheckNs, twice).
TEST(GateLockTest, ALiveHolderIsWaitedFor) {
  GateLock *L = sharedLock();
  ASSERT_NE(L, nullptr);
  // The child's word, in the same shared page: set just before it lets go.
  auto *LetGo = new (reinterpret_cast<char *>(L) + 64) std::atomic<int>(0);
  GateLock::recordHolders(int32_t(getpid()));
  int Go[2];
  ASSERT_EQ(pipe(Go), 0);
  pid_t Child = fork();
  if (Child == 0) {
    GateLock::recordHolders(int32_t(getpid()));
    L->lock();
    char C = 'x';
    (void)!write(Go[1], &C, 1);
    usleep(300 * 1000);
    LetGo->store(1);
    L->unlock();
    _exit(0);
  }
  ASSERT_GT(Child, 0);
  char C;
  ASSERT_EQ(read(Go[0], &C, 1), 1);
  L->lock();
  EXPECT_EQ(LetGo->load(), 1); // taken only once the holder let go
  L->unlock();
  ASSERT_EQ(waitpid(Child, nullptr, 0), Child);
  close(Go[0]);
  close(Go[1]);
  GateLock::recordHolders(0);
  munmap(L, 4096);
}

// A thread an exec ended (the host ends the other threads wherever they
// are) may hold a lock in memory the new image still shares, a pipe
// ring's: the new image's waiter takes it over once it sees the holder's
// word name its own process in another image (before, it waited for
// ever: the pid is alive). Played here with two image numbers.
TEST(GateLockTest, ALockAnEarlierImageHeldIsTakenOver) {
  GateLock *L = sharedLock();
  ASSERT_NE(L, nullptr);
  GateLock::recordHoldersAs(int32_t(getpid()), 1);
  L->lock(); // the ended thread's: never let go of
  GateLock::recordHoldersAs(int32_t(getpid()), 2);
  EXPECT_FALSE(L->tryLock());
  L->lock(); // returns: taken over
  L->unlock();
  EXPECT_TRUE(L->tryLock());
  L->unlock();
  GateLock::recordHolders(0);
  munmap(L, 4096);
}

// An exec's new image lets go of the locks its previous image held (the
// exec ended the threads holding them), and only those.
TEST(GateLockTest, ReleaseIfHeldByLetsGoOfThisProcessOnly) {
  GateLock *L = sharedLock();
  ASSERT_NE(L, nullptr);
  GateLock::recordHolders(int32_t(getpid()));
  L->lock();
  L->releaseIfHeldBy(int32_t(getpid()) + 1); // another process's: stays
  EXPECT_FALSE(L->tryLock());
  L->releaseIfHeldBy(int32_t(getpid()));
  EXPECT_TRUE(L->tryLock());
  L->unlock();
  GateLock::recordHolders(0);
  munmap(L, 4096);
}
