//===- test/unit/UserMemoryTest.cpp - Copies that survive bad pointers ----===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// UserMemory's copies with FaultSignals installed: each test runs in a child
// process (a death-test child), since installing takes the process's
// SIGSEGV and SIGBUS.
//
//===----------------------------------------------------------------------===//

#include "k42/personality/UserMemory.h"
#include "k42/personality/FaultSignals.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <csignal>
#include <cstring>

#include <sys/mman.h>
#include <unistd.h>

using namespace k42::personality;

namespace {

/// Two pages, the second inaccessible.
char *halfMapped() {
  void *Map = mmap(nullptr, 8192, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (Map == MAP_FAILED)
    return nullptr;
  mprotect(static_cast<char *>(Map) + 4096, 4096, PROT_NONE);
  return static_cast<char *>(Map);
}

/// Exits 0 when every copy answered as Linux's copy_to_user would; a
/// failed check exits with its line, a crash dies of its signal.
void copiesAnswer() {
#define REQUIRE(Condition)                                                     \
  if (!(Condition))                                                            \
  _exit(__LINE__ % 200 + 1)
  REQUIRE(FaultSignals::install() == 0);
  REQUIRE(FaultSignals::installed());
  REQUIRE(!FaultSignals::mayBeBlocked());
  char *Map = halfMapped();
  REQUIRE(Map);
  char Source[200];
  std::memset(Source, 'k', sizeof(Source));
  // Up to the inaccessible page, byte for byte; nothing past it.
  REQUIRE(UserMemory::copyOutSome(Map + 4000, Source, 200) == 96);
  REQUIRE(Map[4095] == 'k');
  REQUIRE(UserMemory::copyOut(Map + 4000, Source, 200) == -EFAULT);
  REQUIRE(UserMemory::copyOut(Map + 4096, Source, 1) == -EFAULT);
  REQUIRE(UserMemory::copyOut(Map, Source, 200) == 0);
  char Back[200];
  REQUIRE(UserMemory::copyInSome(Back, Map + 4000, 200) == 96);
  REQUIRE(UserMemory::copyIn(Back, reinterpret_cast<void *>(8), 8) == -EFAULT);
  // A non-canonical address is a general protection fault, not a page
  // fault: recovered too.
  REQUIRE(UserMemory::copyIn(Back, reinterpret_cast<void *>(1UL << 63), 8) ==
          -EFAULT);
  REQUIRE(UserMemory::copyIn(Back, Map, 200) == 0 &&
          std::memcmp(Back, Source, 200) == 0);
  // The program's action is still SIG_DFL: its own fault kills it.
  REQUIRE(FaultSignals::get(SIGSEGV).Handler ==
          reinterpret_cast<uint64_t>(SIG_DFL));
  _exit(0);
#undef REQUIRE
}

TEST(UserMemoryTest, FaultsInCopiesAnswerEfaultAndShortCounts) {
  EXPECT_EXIT(copiesAnswer(), testing::ExitedWithCode(0), "");
}

void blockedThreadCopiesThroughTheHost() {
  if (FaultSignals::install() != 0)
    _exit(1);
  sigset_t Set;
  sigemptyset(&Set);
  sigaddset(&Set, SIGSEGV);
  uint64_t Old = 0, New = 0;
  sigprocmask(SIG_BLOCK, &Set, reinterpret_cast<sigset_t *>(&Old));
  sigprocmask(SIG_BLOCK, nullptr, reinterpret_cast<sigset_t *>(&New));
  FaultSignals::maskChanged(Old, New);
  if (!FaultSignals::mayBeBlocked())
    _exit(2);
  // A fault now would kill the process (the kernel forces it): the copy
  // goes through the host and still answers.
  char *Map = halfMapped();
  char Source[200] = {};
  if (UserMemory::copyOutSome(Map + 4000, Source, 200) != 96)
    _exit(3);
  if (UserMemory::copyOut(reinterpret_cast<void *>(8), Source, 8) != -EFAULT)
    _exit(4);
  FaultSignals::maskChanged(New, Old);
  if (FaultSignals::mayBeBlocked())
    _exit(5);
  FaultSignals::threadStarting(New);
  if (!FaultSignals::mayBeBlocked())
    _exit(6);
  FaultSignals::threadStarting(New, /*Undo=*/true);
  if (FaultSignals::mayBeBlocked())
    _exit(7);
  _exit(0);
}

TEST(UserMemoryTest, BlockedSigsegvCopiesThroughTheHost) {
  EXPECT_EXIT(blockedThreadCopiesThroughTheHost(), testing::ExitedWithCode(0),
              "");
}

volatile long InnerCopy = 1;
volatile bool InnerBlocked = false;

void onMaskedFault(int, siginfo_t *, void *) {
  // SIGSEGV and SIGBUS blocked while this runs: the copy must not fault.
  InnerBlocked = FaultSignals::mayBeBlocked();
  char Back[8];
  InnerCopy = UserMemory::copyIn(Back, reinterpret_cast<void *>(8), 8);
  _exit(InnerCopy == -EFAULT && InnerBlocked ? 0 : 9);
}

/// A SIGSEGV handler whose sa_mask blocks SIGSEGV and SIGBUS (glibc's
/// signal() adds the signal itself; gcc's cc1 catches SIGSEGV so) leaves
/// the copies recovering faults: its handler runs from the personality's,
/// which counts the thread while it runs, and only then are copies made
/// through the host.
void maskedFaultHandlerKeepsFaultingCopies() {
  if (FaultSignals::install() != 0)
    _exit(1);
  KernelSigaction Action;
  Action.Handler = reinterpret_cast<uint64_t>(&onMaskedFault);
  Action.Flags = SA_SIGINFO;
  Action.Mask = FaultSignals::Bits;
  if (FaultSignals::set(SIGSEGV, Action) != 0)
    _exit(2);
  if (FaultSignals::mayBeBlocked())
    _exit(3);
  char Back[8];
  if (UserMemory::copyIn(Back, reinterpret_cast<void *>(8), 8) != -EFAULT)
    _exit(4);
  // The program's own fault: its handler runs with SIGSEGV blocked.
  *static_cast<volatile char *>(halfMapped() + 4096) = 1;
  _exit(5);
}

TEST(UserMemoryTest, MaskedFaultHandlerKeepsCopiesFaulting) {
  EXPECT_EXIT(maskedFaultHandlerKeepsFaultingCopies(),
              testing::ExitedWithCode(0), "");
}

void ownFaultKills() {
  if (FaultSignals::install() != 0)
    _exit(1);
  *static_cast<volatile char *>(halfMapped() + 4096) = 1;
  _exit(0);
}

TEST(UserMemoryTest, AFaultOutsideTheCopyIsTheProgramsToDieOf) {
  EXPECT_EXIT(ownFaultKills(), testing::KilledBySignal(SIGSEGV), "");
}

} // namespace
