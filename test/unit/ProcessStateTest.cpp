//===- test/unit/ProcessStateTest.cpp - Who is calling --------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// ProcessState::callerIsThisProcess: a load while no other process runs in
// the memory, and right in a posix_spawn-like child (CLONE_VM | CLONE_VFORK)
// that does. Each test runs in a fork child: start() records the pid.
//
//===----------------------------------------------------------------------===//

#include "k42/personality/ProcessState.h"

#include <gtest/gtest.h>

#include <csignal>

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

TEST(ProcessStateTest, SpawnChildIsNotThisProcess) {
  pid_t Child = fork();
  ASSERT_GE(Child, 0);
  if (Child == 0)
    answers();
  int Status = 0;
  ASSERT_EQ(waitpid(Child, &Status, 0), Child);
  ASSERT_TRUE(WIFEXITED(Status)) << Status;
  EXPECT_EQ(WEXITSTATUS(Status), 0);
}

} // namespace
