//===- test/unit/ProcessStateTest.cpp - Who is calling --------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// ProcessState::callerIsThisProcess: a load while no other process runs in
// the memory, and right in a posix_spawn-like child (CLONE_VM | CLONE_VFORK)
// that does. Each test runs in a fork child: start() records the pid.
// start()'s copy of the loader path; beforeExecPath's populate of a fork
// child's exec stack (pages its parent wrote become its own in one call).
//
//===----------------------------------------------------------------------===//

#include "k42/personality/ProcessState.h"

#include <gtest/gtest.h>

#include <csignal>
#include <cstdint>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace k42::personality;

namespace {

volatile int SeenInChild = -1;

int spawnChild(void *) {
  SeenInChild = ProcessState::callerIsThisProcess() ? 1 : 0;
  return 0;
}

/// Exits 0 when every answer is right; a failed check exits with its line.
void answers() {
#define REQUIRE(Condition)                                                     \
  if (!(Condition))                                                            \
  _exit(__LINE__ % 200 + 1)
  ProcessState::start(nullptr);
  REQUIRE(ProcessState::callerIsThisProcess());
  // posix_spawn's child: runs in this memory until it execs or exits.
  long Flags = CLONE_VM | CLONE_VFORK | SIGCHLD;
  static char Stack[64 * 1024];
  ProcessState::sharingMemory(Flags);
  int Child = clone(spawnChild, Stack + sizeof(Stack), int(Flags), nullptr);
  ProcessState::sharedMemory(Flags, Child);
  REQUIRE(Child > 0);
  REQUIRE(SeenInChild == 0);
  REQUIRE(waitpid(Child, nullptr, 0) == Child);
  // It is done (CLONE_VFORK): the parent is itself again.
  REQUIRE(ProcessState::callerIsThisProcess());
  // A thread is this process.
  ProcessState::sharingMemory(CLONE_VM | CLONE_THREAD | CLONE_SIGHAND);
  REQUIRE(ProcessState::callerIsThisProcess());
  // A CLONE_VM child without CLONE_VFORK may run on: the host is asked,
  // and answers this process for its own calls.
  ProcessState::sharingMemory(CLONE_VM | SIGCHLD);
  ProcessState::sharedMemory(CLONE_VM | SIGCHLD, 12345);
  REQUIRE(ProcessState::callerIsThisProcess());
  _exit(0);
#undef REQUIRE
}

/// Runs \p Checks in a fork child (they record a pid, which the test's
/// own process must not) and expects its exit 0: a failed check's line.
void expectChildPasses(void (*Checks)()) {
  pid_t Child = fork();
  ASSERT_GE(Child, 0);
  if (Child == 0)
    Checks();
  int Status = 0;
  ASSERT_EQ(waitpid(Child, &Status, 0), Child);
  ASSERT_TRUE(WIFEXITED(Status)) << Status;
  EXPECT_EQ(WEXITSTATUS(Status), 0);
}

TEST(ProcessStateTest, SpawnChildIsNotThisProcess) {
  expectChildPasses(answers);
}

/// start()'s copy of k42-exec's path; exits with the line of a failed
/// check (start() records the pid: not in the test's own process).
void loaderPaths() {
#define REQUIRE(Condition)                                                     \
  if (!(Condition))                                                            \
  _exit(__LINE__ % 200 + 1)
  std::string Path = "/opt/k42/bin/k42-exec";
  ProcessState::start(Path.c_str());
  REQUIRE(ProcessState::loaderPath() != nullptr);
  REQUIRE(ProcessState::loaderPath() != Path.c_str());
  Path[1] = 'x'; // the caller's string may change: the copy stays
  REQUIRE(std::strcmp(ProcessState::loaderPath(), "/opt/k42/bin/k42-exec") ==
          0);
  ProcessState::start(nullptr);
  REQUIRE(ProcessState::loaderPath() == nullptr);
  ProcessState::start("");
  REQUIRE(ProcessState::loaderPath() == nullptr);
  // 4095 bytes and its NUL fit; one more is too long to trust: none.
  std::string Longest(4095, 'a');
  Longest[0] = '/';
  ProcessState::start(Longest.c_str());
  REQUIRE(ProcessState::loaderPath() != nullptr);
  REQUIRE(std::string(ProcessState::loaderPath()) == Longest);
  ProcessState::start((Longest + "a").c_str());
  REQUIRE(ProcessState::loaderPath() == nullptr);
  _exit(0);
#undef REQUIRE
}

TEST(ProcessStateTest, LoaderPathIsCopiedWhole) {
  expectChildPasses(loaderPaths);
}

/// Pages of the ExecPathStackBytes below \p Top that are present and this
/// process's alone (/proc/self/pagemap bits 63 and 56); -1 if pagemap can't
/// say.
int ownPagesBelow(uintptr_t Top) {
  constexpr int Pages = int(ProcessState::ExecPathStackBytes / 4096);
  uint64_t Entries[Pages];
  uintptr_t Low = (Top & ~uintptr_t(4095)) - Pages * 4096;
  int Fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
  if (Fd < 0)
    return -1;
  ssize_t Got = pread(Fd, Entries, sizeof(Entries), off_t(Low / 4096 * 8));
  close(Fd);
  if (Got != ssize_t(sizeof(Entries)))
    return -1;
  int Own = 0;
  for (uint64_t E : Entries)
    Own += (E >> 63 & 1) && (E >> 56 & 1);
  return Own;
}

/// Writes the stack 64 KiB deep, so those pages are there before a fork.
[[gnu::noinline]] void writeDeepStack() {
  volatile char Deep[64 * 1024];
  for (size_t I = 0; I < sizeof(Deep); I += 512)
    Deep[I] = 1;
}

/// In a fork child of a process that wrote its stack deep: the pages below
/// an exec's frame are shared with the parent until beforeExecPath, then
/// the child's; exits with the line of a failed check.
[[gnu::noinline]] void execStackOfForkChild() {
  const void *Top = __builtin_frame_address(0);
  int Before = ownPagesBelow(reinterpret_cast<uintptr_t>(Top));
  if (Before < 0 || Before >= int(ProcessState::ExecPathStackBytes / 4096))
    _exit(__LINE__ % 200 + 1);
  ProcessState::beforeExecPath(Top);
  if (ownPagesBelow(reinterpret_cast<uintptr_t>(Top)) !=
      int(ProcessState::ExecPathStackBytes / 4096))
    _exit(__LINE__ % 200 + 1);
  _exit(0);
}

TEST(ProcessStateTest, ForkChildsExecStackIsMadeItsOwnAtOnce) {
  if (ownPagesBelow(reinterpret_cast<uintptr_t>(__builtin_frame_address(0))) <
      0)
    GTEST_SKIP() << "no /proc/self/pagemap to read";
  pid_t Child = fork();
  ASSERT_GE(Child, 0);
  if (Child == 0) {
    ProcessState::start(nullptr);
    writeDeepStack();
    pid_t Grandchild = fork();
    if (Grandchild == 0) {
      ProcessState::forked();
      execStackOfForkChild();
    }
    int Status = 0;
    if (Grandchild < 0 || waitpid(Grandchild, &Status, 0) != Grandchild)
      _exit(__LINE__ % 200 + 1);
    _exit(WIFEXITED(Status) ? WEXITSTATUS(Status) : 100);
  }
  int Status = 0;
  ASSERT_EQ(waitpid(Child, &Status, 0), Child);
  ASSERT_TRUE(WIFEXITED(Status)) << Status;
  EXPECT_EQ(WEXITSTATUS(Status), 0);
}

} // namespace
