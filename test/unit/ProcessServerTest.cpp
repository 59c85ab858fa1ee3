//===- test/unit/ProcessServerTest.cpp - The process server's host side ---===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "ProcessServer.h"
#include "TestChild.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <span>

#include <sys/wait.h>
#include <unistd.h>

using namespace k42;
using namespace k42::linuxproc;
using k42test::forkTestChild;
using k42test::TestChild;

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
  ASSERT_EQ(S.hello(getpid(), B).value() & ~HelloSeesReaps, getpid());
  pid_t Child = forkTestChild();
  if (Child == 0) {
    for (;;)
      pause();
  }
  ASSERT_GT(Child, 0);
  TestChild Guard(Child);
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
  Guard.release();
  EXPECT_TRUE(WIFSIGNALED(Status) && WTERMSIG(Status) == SIGKILL)
      << "delivered by the server's host kill";
  // Told, unless the server saw the reap first (HelloSeesReaps).
  k42::Status Told = S.reaped(Child, B);
  EXPECT_TRUE(Told || Told.errorCode() == ECHILD) << Told.errorCode();
  EXPECT_EQ(S.reaped(Child, B).errorCode(), ECHILD);
  ASSERT_TRUE(S.list(All));
  EXPECT_EQ(findIn(All, Child), nullptr);
  // The badge is gone (its connection closed): its calls are refused.
  S.forget(77);
  EXPECT_EQ(S.getppid(B).errorCode(), ESRCH);
}

TEST(ProcessServerTest, SeesReapsWithoutTheParent) {
  ProcessServer S;
  Badge B = badge(77);
  Status Hello = S.hello(getpid(), B);
  ASSERT_TRUE(Hello);
  if (!(Hello.value() & HelloSeesReaps))
    GTEST_SKIP() << "this host's pidfds do not report reaps";
  pid_t Child = fork();
  if (Child == 0)
    _exit(0);
  ASSERT_GT(Child, 0);
  ASSERT_TRUE(S.forked(Child, B));
  std::vector<ProcessInfo> All;
  ASSERT_EQ(waitpid(Child, nullptr, 0), Child);
  // No reaped(): gone from the tree and from kill's view as soon as the
  // wait has returned, whether the watcher has run yet or not.
  EXPECT_EQ(S.signal(Child, 0, B).errorCode(), ESRCH);
  ASSERT_TRUE(S.list(All));
  EXPECT_EQ(findIn(All, Child), nullptr);
  // A child reaped before the server heard of it (its pidfd cannot be
  // opened) does not stay behind as a zombie either.
  pid_t Quick = fork();
  if (Quick == 0)
    _exit(0);
  ASSERT_EQ(waitpid(Quick, nullptr, 0), Quick);
  EXPECT_EQ(S.forked(Quick, B).errorCode(), ESRCH) << "no such process";
  ASSERT_TRUE(S.list(All));
  EXPECT_EQ(findIn(All, Quick), nullptr);
}

/// Reads one pid from \p Fd.
pid_t readPid(int Fd) {
  pid_t Pid = 0;
  return read(Fd, &Pid, sizeof(Pid)) == sizeof(Pid) ? Pid : -1;
}

TEST(ProcessServerTest, LearnsForksNobodyReported) {
  // A caller (a child of this test, so no group leader) that forks a
  // child, which forks a grandchild: nobody reports a fork.
  int ChildPipe[2], GrandPipe[2];
  ASSERT_EQ(pipe(ChildPipe), 0);
  ASSERT_EQ(pipe(GrandPipe), 0);
  // Each dies with its parent, and the caller with the test.
  pid_t Caller = forkTestChild();
  if (Caller == 0) {
    pid_t Child = forkTestChild();
    if (Child == 0) {
      pid_t Grand = forkTestChild();
      if (Grand == 0)
        for (;;)
          pause();
      (void)!write(GrandPipe[1], &Grand, sizeof(Grand));
      for (;;)
        pause();
    }
    (void)!write(ChildPipe[1], &Child, sizeof(Child));
    for (;;)
      pause();
  }
  ASSERT_GT(Caller, 0);
  TestChild Guard(Caller);
  pid_t Child = readPid(ChildPipe[0]);
  pid_t Grand = readPid(GrandPipe[0]);
  ASSERT_GT(Child, 0);
  ASSERT_GT(Grand, 0);
  ProcessServer S;
  Badge B = badge(78);
  ASSERT_EQ(S.hello(Caller, B).value() & ~HelloSeesReaps, Caller);
  pid_t Group = getpgrp();
  ASSERT_NE(Group, Caller);
  // The caller's group changes (here only in the table): its children,
  // forked before, stay in the group they were forked in, as on Linux.
  ASSERT_TRUE(S.setpgid(Caller, Caller, 1, B));
  EXPECT_EQ(S.getpgid(0, B).value(), Caller);
  EXPECT_EQ(S.getpgid(Child, B).value(), Group) << "learned before the change";
  EXPECT_EQ(S.getpgid(Grand, B).value(), Group);
  EXPECT_TRUE(S.signal(Grand, 0, B)) << "known to kill";
  std::vector<ProcessInfo> All;
  ASSERT_TRUE(S.list(All));
  const ProcessInfo *C = findIn(All, Child);
  const ProcessInfo *G = findIn(All, Grand);
  ASSERT_NE(C, nullptr);
  ASSERT_NE(G, nullptr);
  EXPECT_EQ(C->Parent, Caller);
  EXPECT_EQ(G->Parent, Child);
  EXPECT_EQ(findIn(All, getpid()), nullptr)
      << "not of the tree: the root's parent";
  // A kill of their group reaches both (the caller has left it).
  EXPECT_EQ(S.signal(-Group, 0, B).value(), 2) << "the child and grandchild";
  for (pid_t P : {Grand, Child, Caller})
    (void)kill(P, SIGKILL);
  EXPECT_EQ(waitpid(Caller, nullptr, 0), Caller);
  Guard.release();
  for (int Fd : {ChildPipe[0], ChildPipe[1], GrandPipe[0], GrandPipe[1]})
    close(Fd);
}

std::span<const uint8_t> bytes(const siginfo_t &Info) {
  return {reinterpret_cast<const uint8_t *>(&Info), sizeof(Info)};
}

TEST(ProcessServerTest, QueuesSignalsWithTheCallersInfo) {
  ProcessServer S;
  Badge B = badge(77);
  ASSERT_TRUE(S.hello(getpid(), B));
  sigset_t Set, Old;
  sigemptyset(&Set);
  sigaddset(&Set, SIGUSR1);
  ASSERT_EQ(sigprocmask(SIG_BLOCK, &Set, &Old), 0);
  pid_t Child = forkTestChild();
  if (Child == 0) {
    siginfo_t In;
    int Got = sigwaitinfo(&Set, &In);
    _exit(Got == SIGUSR1 && In.si_code == SI_QUEUE && In.si_pid == 4242
              ? In.si_value.sival_int
              : 1);
  }
  ASSERT_GT(Child, 0);
  TestChild Guard(Child);
  sigprocmask(SIG_SETMASK, &Old, nullptr);
  ASSERT_TRUE(S.forked(Child, B));
  siginfo_t Info;
  std::memset(&Info, 0, sizeof(Info));
  Info.si_signo = SIGUSR1;
  Info.si_code = SI_USER;
  Info.si_pid = 4242;
  Info.si_value.sival_int = 42;
  EXPECT_EQ(S.queueSignal(Child, 0, SIGUSR1, bytes(Info), B).errorCode(), EPERM)
      << "SI_USER is kill's";
  Info.si_code = SI_QUEUE;
  EXPECT_EQ(
      S.queueSignal(Child, 0, SIGUSR1, bytes(Info).first(64), B).errorCode(),
      EINVAL)
      << "not a siginfo_t";
  EXPECT_EQ(S.queueSignal(Child, -1, SIGUSR1, bytes(Info), B).errorCode(),
            EINVAL);
  EXPECT_EQ(S.queueSignal(0, 0, SIGUSR1, bytes(Info), B).errorCode(), ESRCH);
  EXPECT_EQ(S.queueSignal(Child, getpid(), SIGUSR1, bytes(Info), B).errorCode(),
            ESRCH)
      << "a thread of another process: the host's answer";
  EXPECT_TRUE(S.queueSignal(Child, Child, SIGUSR1, bytes(Info), B))
      << "delivered with the info as it was given";
  int Status = 0;
  ASSERT_EQ(waitpid(Child, &Status, 0), Child);
  Guard.release();
  EXPECT_TRUE(WIFEXITED(Status) && WEXITSTATUS(Status) == 42);
  k42::Status Told = S.reaped(Child, B); // Unless the server saw it first.
  EXPECT_TRUE(Told || Told.errorCode() == ECHILD) << Told.errorCode();
}

TEST(ProcessServerTest, NamesGroupsAndExecs) {
  ProcessServer S;
  Badge B = badge(77);
  ASSERT_TRUE(S.hello(getpid(), B));
  std::vector<ProcessInfo> All;
  ASSERT_TRUE(S.list(All));
  const ProcessInfo *Me = findIn(All, getpid());
  ASSERT_NE(Me, nullptr);
  char Comm[32] = {};
  FILE *F = std::fopen("/proc/self/comm", "r");
  ASSERT_NE(F, nullptr);
  ASSERT_NE(std::fgets(Comm, sizeof(Comm), F), nullptr);
  std::fclose(F);
  Comm[std::strcspn(Comm, "\n")] = 0;
  EXPECT_STREQ(std::string(Me->Name, strnlen(Me->Name, NameMax)).c_str(), Comm)
      << "named as the host names it";
  EXPECT_EQ(Me->GroupCount, uint32_t(getgroups(0, nullptr)));
  ASSERT_TRUE(S.execed("prog", 0, B));
  EXPECT_EQ(S.execed("0123456789abcdef", 0, B).errorCode(), EINVAL);
  ASSERT_TRUE(S.list(All));
  Me = findIn(All, getpid());
  EXPECT_STREQ(Me->Name, "prog");
  EXPECT_TRUE(Me->Flags & FlagExeced);
  ASSERT_TRUE(S.execed({}, 1, B));
  ASSERT_TRUE(S.list(All));
  EXPECT_STREQ(findIn(All, getpid())->Name, Comm) << "the exec failed";
  // setgroups: root only; recorded sorted on commit.
  const uint32_t Two[] = {9, 8};
  if (geteuid() == 0) {
    EXPECT_TRUE(S.setGroups(2, {}, 0, B));
    EXPECT_TRUE(S.setGroups(2, Two, 1, B));
    ASSERT_TRUE(S.list(All));
    EXPECT_EQ(findIn(All, getpid())->GroupCount, 2u);
  } else {
    EXPECT_EQ(S.setGroups(2, Two, 1, B).errorCode(), EPERM);
  }
  EXPECT_EQ(S.setGroups(2, Two, 1, badge(78)).errorCode(), ESRCH) << "no hello";
}

} // namespace
