//===- test/unit/HandlerStackTest.cpp - Room for a call's frames ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// HandlerStack: work that needs more stack than its caller has runs on a
// stack of the personality's when the caller is off the main thread's
// stack (a thread made with 16 KiB), and where it is on the main thread;
// the link from the pool's stack back to the caller's frame; a handler
// call's table check (light calls stay where they are); a fork child's
// pool, with the slots of the parent's other threads free again.
//
//===----------------------------------------------------------------------===//

#include "k42/personality/HandlerStack.h"

#include <gtest/gtest.h>

#include <cstdint>

#include <pthread.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace k42::personality;

namespace {

/// What one piece of deep work saw.
struct Seen {
  uintptr_t Caller = 0;
  uintptr_t Frame = 0;
  bool OnPool = false;
  bool Linked = false;
  uintptr_t LinkedTo = 0;
};

/// Writes 40 KiB of stack (more than a 16 KiB thread has) and notes
/// where it ran.
long deepWork(void *Arg) {
  auto *S = static_cast<Seen *>(Arg);
  volatile char Deep[40 * 1024];
  for (size_t I = 0; I < sizeof(Deep); I += 256)
    Deep[I] = char(I);
  S->Frame = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  S->OnPool = HandlerStack::onPool();
  uintptr_t Top;
  S->Linked = HandlerStack::linkOf(S->Frame, Top, S->LinkedTo);
  return Deep[256] + 7;
}

[[gnu::noinline]] long callDeep(Seen &S) {
  S.Caller = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  return HandlerStack::deep(deepWork, &S);
}

void *smallThread(void *Arg) {
  static long Result;
  Result = callDeep(*static_cast<Seen *>(Arg));
  return &Result;
}

/// callDeep from a thread with a stack of \p Bytes; its answer.
long inThread(Seen &S, size_t Bytes) {
  pthread_attr_t Attr;
  pthread_attr_init(&Attr);
  pthread_attr_setstacksize(&Attr, Bytes);
  pthread_t T;
  if (pthread_create(&T, &Attr, smallThread, &S) != 0)
    return -1;
  void *Result = nullptr;
  pthread_join(T, &Result);
  return *static_cast<long *>(Result);
}

long whereItRan(SyscallCall &Call) {
  Call.Arg[5] = HandlerStack::onPool();
  return 0;
}

void *runCall(void *Arg) {
  auto *Call = static_cast<SyscallCall *>(Arg);
  HandlerStack::run(whereItRan, *Call);
  return nullptr;
}

/// HandlerStack::run of \p Number from a thread: whether it ran on the
/// pool.
bool ranOnPool(long Number) {
  SyscallCall Call;
  Call.Number = Number;
  pthread_t T;
  if (pthread_create(&T, nullptr, runCall, &Call) != 0)
    return false;
  pthread_join(T, nullptr);
  return Call.Arg[5] != 0;
}

} // namespace

TEST(HandlerStackTest, DeepWorkOfASmallThreadRunsOnThePool) {
  HandlerStack::start();
  Seen S;
  // 40 KiB on a 16 KiB stack would have faulted the whole test binary.
  EXPECT_EQ(inThread(S, 16 * 1024), 7);
  EXPECT_TRUE(S.OnPool);
  EXPECT_TRUE(S.Linked);
  // The link names the frame the work was asked from (or, a tail call,
  // one just below it).
  EXPECT_LE(S.LinkedTo, S.Caller);
  EXPECT_LE(S.Caller - S.LinkedTo, 512u);
  EXPECT_FALSE(HandlerStack::onPool());
}

TEST(HandlerStackTest, TheMainThreadsStackIsUsedAsItIs) {
  HandlerStack::start();
  Seen S;
  EXPECT_EQ(callDeep(S), 7);
  EXPECT_FALSE(S.OnPool);
  EXPECT_FALSE(S.Linked);
}

TEST(HandlerStackTest, LightCallsOfAThreadStayOnItsStack) {
  HandlerStack::start();
  EXPECT_FALSE(ranOnPool(SYS_read));
  EXPECT_FALSE(ranOnPool(SYS_wait4));
  EXPECT_FALSE(ranOnPool(SYS_ppoll));
  EXPECT_TRUE(ranOnPool(SYS_newfstatat));
  EXPECT_TRUE(ranOnPool(SYS_openat));
  EXPECT_TRUE(ranOnPool(SYS_getdents64));
}

TEST(HandlerStackTest, AForkChildsPoolHasEveryOtherThreadsSlotFree) {
  HandlerStack::start();
  // Every slot taken by work that waits: the pool is full.
  constexpr int Threads = HandlerStack::Slots;
  struct Holder {
    pthread_t T;
    int Ready[2];
    int Go[2];
  };
  static Holder Holders[Threads];
  auto Hold = [](void *Arg) -> void * {
    auto *H = static_cast<Holder *>(Arg);
    HandlerStack::deep(
        [](void *Arg) -> long {
          auto *H = static_cast<Holder *>(Arg);
          char Byte = HandlerStack::onPool();
          (void)!write(H->Ready[1], &Byte, 1);
          (void)!read(H->Go[0], &Byte, 1);
          return 0;
        },
        H);
    return nullptr;
  };
  int OnPool = 0;
  for (Holder &H : Holders) {
    ASSERT_EQ(pipe(H.Ready), 0);
    ASSERT_EQ(pipe(H.Go), 0);
    ASSERT_EQ(pthread_create(&H.T, nullptr, Hold, &H), 0);
    char Byte = 0;
    ASSERT_EQ(read(H.Ready[0], &Byte, 1), 1);
    OnPool += Byte;
  }
  EXPECT_EQ(OnPool, Threads);
  // A full pool runs the work where it is (here a thread with room).
  Seen Full;
  EXPECT_EQ(inThread(Full, 1024 * 1024), 7);
  EXPECT_FALSE(Full.OnPool);
  pid_t Child = fork();
  ASSERT_GE(Child, 0);
  if (Child == 0) {
    HandlerStack::forked();
    // Without forked(), every slot stays taken and the 40 KiB fault the
    // 16 KiB thread's stack: the child dies of SIGSEGV.
    Seen S;
    _exit(inThread(S, 16 * 1024) == 7 && S.OnPool ? 0 : 1);
  }
  int Status = 0;
  ASSERT_EQ(waitpid(Child, &Status, 0), Child);
  EXPECT_TRUE(WIFEXITED(Status) && WEXITSTATUS(Status) == 0);
  for (Holder &H : Holders) {
    char Byte = 1;
    ASSERT_EQ(write(H.Go[1], &Byte, 1), 1);
    pthread_join(H.T, nullptr);
    for (int Fd : {H.Ready[0], H.Ready[1], H.Go[0], H.Go[1]})
      close(Fd);
  }
}
