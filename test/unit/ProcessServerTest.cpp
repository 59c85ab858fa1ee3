//===- test/unit/ProcessServerTest.cpp - The process server's host side ---===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "ProcessServer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <csignal>

#include <sys/wait.h>
#include <unistd.h>

using namespace k42;
using namespace k42::linuxproc;

namespace {

Badge badge(uint32_t Pid, uint32_t Uid = getuid()) {
  return Badge{Pid, Uid, getgid(), 0};
}

const ProcessInfo *findIn(const std::vector<ProcessInfo> &All, int32_t Pid) {
  auto It = std::find_if(All.begin(), All.end(),
                         [&](const ProcessInfo &P) { return P.Pid == Pid; });
  return It == All.end() ? nullptr : &*It;
}

TEST(ProcessServerTest, RefusesCallersAndClaimsItCannotCheck) {
  ProcessServer S;
  Badge B = badge(77);
  EXPECT_EQ(S.getppid(B).errorCode(), ESRCH) << "no hello yet";
  EXPECT_EQ(S.forked(getpid(), B).errorCode(), ESRCH);
  EXPECT_EQ(S.signal(getpid(), SIGTERM, B).errorCode(), ESRCH);
  EXPECT_EQ(S.hello(-5, B).errorCode(), ESRCH);
  EXPECT_EQ(S.hello(0x3fffffff, B).errorCode(), ESRCH);
  // A badge whose uid is none of the process's (and not root).
  Badge Other = badge(78, getuid() + 12345);
  EXPECT_EQ(S.hello(getpid(), Other).errorCode(), EPERM);
}

TEST(ProcessServerTest, LearnsChildrenSignalsAndReaps) {
  ProcessServer S;
  Badge B = badge(77);
  ASSERT_EQ(S.hello(getpid(), B).value(), getpid());
  pid_t Child = fork();
  if (Child == 0) {
    for (;;)
      pause();
  }
  ASSERT_GT(Child, 0);
  EXPECT_EQ(S.forked(Child, B).value(), Child);
  EXPECT_EQ(S.forked(getppid(), B).errorCode(), ESRCH) << "not its child";
  std::vector<ProcessInfo> All;
  ASSERT_TRUE(S.list(All));
  const ProcessInfo *Me = findIn(All, getpid());
  const ProcessInfo *C = findIn(All, Child);
  ASSERT_NE(Me, nullptr);
  ASSERT_NE(C, nullptr);
  EXPECT_EQ(Me->Parent, ProcessTable::InitPid) << "started from outside";
  EXPECT_EQ(C->Parent, getpid());
  EXPECT_TRUE(Me->Flags & FlagConnected);
  EXPECT_EQ(S.signal(Child, 99, B).errorCode(), EINVAL);
  EXPECT_EQ(S.signal(INT32_MIN, SIGTERM, B).errorCode(), ESRCH);
  EXPECT_TRUE(S.signal(Child, SIGKILL, B));
  int Status = 0;
  ASSERT_EQ(waitpid(Child, &Status, 0), Child);
  EXPECT_TRUE(WIFSIGNALED(Status) && WTERMSIG(Status) == SIGKILL)
      << "delivered by the server's host kill";
  EXPECT_TRUE(S.reaped(Child, B));
  EXPECT_EQ(S.reaped(Child, B).errorCode(), ECHILD);
  ASSERT_TRUE(S.list(All));
  EXPECT_EQ(findIn(All, Child), nullptr);
  // The badge is gone (its connection closed): its calls are refused.
  S.forget(77);
  EXPECT_EQ(S.getppid(B).errorCode(), ESRCH);
}

} // namespace
