//===- test/unit/ProcessTableTest.cpp - The Linux process tree's rules ----===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "ProcessTable.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <csignal>

using namespace k42;
using namespace k42::linuxproc;

namespace {

Credentials user(uint32_t Uid) {
  Credentials C;
  C.Ruid = C.Euid = C.Suid = Uid;
  C.Rgid = C.Egid = C.Sgid = Uid;
  return C;
}

int error(Status S) { return S ? 0 : S.errorCode(); }

/// A shell (100, its own session and group) with two children.
struct Shell : ::testing::Test {
  ProcessTable T;
  void SetUp() override {
    ASSERT_TRUE(T.addRoot(100, 100, 100, user(1000)));
    ASSERT_TRUE(T.addChild(100, 101));
    ASSERT_TRUE(T.addChild(100, 102));
  }
};

TEST(ProcessTableTest, InitIsThereAlone) {
  ProcessTable T;
  ASSERT_NE(T.find(1), nullptr);
  EXPECT_EQ(T.list().size(), 1u);
  EXPECT_EQ(error(T.addRoot(1, 1, 1, {})), EINVAL);
  EXPECT_EQ(error(T.addChild(55, 56)), ESRCH);
}

TEST_F(Shell, ChildrenInheritGroupSessionAndCredentials) {
  const ProcessRecord *C = T.find(101);
  ASSERT_NE(C, nullptr);
  EXPECT_EQ(C->Parent, 100);
  EXPECT_EQ(C->Group, 100);
  EXPECT_EQ(C->Session, 100);
  EXPECT_EQ(C->Cred.Euid, 1000u);
  EXPECT_EQ(T.getppid(101).value(), 100);
  // Reported twice (by the parent and by the child's own hello): one child.
  EXPECT_TRUE(T.addChild(100, 101));
  EXPECT_EQ(error(T.addChild(102, 101)), EEXIST);
}

TEST_F(Shell, OrphansGoToInitAndZombiesWaitForTheirParent) {
  ASSERT_TRUE(T.addChild(101, 201));
  ASSERT_TRUE(T.addChild(101, 202));
  T.died(202);
  ASSERT_NE(T.find(202), nullptr);
  EXPECT_TRUE(T.find(202)->Zombie);
  T.died(101);
  EXPECT_EQ(T.getppid(201).value(), ProcessTable::InitPid);
  EXPECT_EQ(T.find(202), nullptr) << "init reaps an orphaned zombie";
  ASSERT_NE(T.find(101), nullptr);
  EXPECT_TRUE(T.find(101)->Zombie);
  EXPECT_EQ(error(T.reaped(102, 101)), ECHILD);
  EXPECT_TRUE(T.reaped(100, 101));
  EXPECT_EQ(T.find(101), nullptr);
  EXPECT_EQ(error(T.reaped(100, 101)), ECHILD);
  // A child of init is reaped as it dies.
  T.died(201);
  EXPECT_EQ(T.find(201), nullptr);
}

TEST_F(Shell, OrphansGoToTheNearestLivingSubreaper) {
  // 100 -> 101 -> 201 -> 301, 302 (a zombie); 100 a subreaper.
  ASSERT_TRUE(T.setSubreaper(100, true));
  ASSERT_TRUE(T.addChild(101, 201));
  ASSERT_TRUE(T.addChild(201, 301));
  ASSERT_TRUE(T.addChild(201, 302));
  T.died(302);
  T.died(201);
  EXPECT_EQ(T.getppid(301).value(), 100) << "not 101: not a subreaper";
  ASSERT_NE(T.find(302), nullptr) << "a subreaper reaps its own zombies";
  EXPECT_EQ(T.find(302)->Parent, 100);
  EXPECT_TRUE(T.reaped(100, 302));
  // The nearer one of the current parent chain wins; once it is no
  // longer one, the next: 100 -> 101 -> 202 -> 402 -> 502.
  ASSERT_TRUE(T.setSubreaper(101, true));
  ASSERT_TRUE(T.addChild(101, 202));
  ASSERT_TRUE(T.addChild(202, 402));
  T.died(202);
  EXPECT_EQ(T.getppid(402).value(), 101);
  ASSERT_TRUE(T.setSubreaper(101, false));
  ASSERT_TRUE(T.addChild(402, 502));
  T.died(402);
  EXPECT_EQ(T.getppid(502).value(), 100);
  // Not inherited by a fork; ESRCH for a process not in the tree.
  ASSERT_TRUE(T.addChild(100, 103));
  EXPECT_FALSE(T.find(103)->Subreaper);
  EXPECT_EQ(error(T.setSubreaper(999, true)), ESRCH);
}

TEST_F(Shell, WhatTheHostAloneSawOfAGroupOrSessionIsTaken) {
  // A posix_spawn child's setpgid(0, 0), setsid or setpgid into another
  // group of its session reach the host alone; its report brings them.
  ASSERT_TRUE(T.addChild(100, 103));
  T.hostGroup(103, 103, 4242); // its own group; the host's session id
  EXPECT_EQ(T.find(103)->Group, 103);
  EXPECT_EQ(T.find(103)->Session, 100) << "the tree's session stands";
  ASSERT_TRUE(T.addChild(100, 104));
  T.hostGroup(104, 104, 104); // setsid
  EXPECT_EQ(T.find(104)->Session, 104);
  EXPECT_EQ(T.find(104)->Group, 104);
  ASSERT_TRUE(T.addChild(100, 105));
  T.hostGroup(105, 103, 4242); // a group of its session here
  EXPECT_EQ(T.find(105)->Group, 103);
  T.hostGroup(105, 777, 4242); // no such group here: kept
  EXPECT_EQ(T.find(105)->Group, 103);
}

TEST_F(Shell, ReapBeforeTheDeathIsSeen) {
  ASSERT_TRUE(T.addChild(101, 201));
  EXPECT_TRUE(T.reaped(100, 101));
  EXPECT_EQ(T.getppid(201).value(), ProcessTable::InitPid);
}

TEST_F(Shell, SetsidRules) {
  EXPECT_EQ(error(T.setsid(100)), EPERM) << "a group leader";
  EXPECT_EQ(T.setsid(101).value(), 101);
  EXPECT_EQ(T.getsid(0, 101).value(), 101);
  EXPECT_EQ(T.getpgid(0, 101).value(), 101);
  EXPECT_EQ(error(T.setsid(101)), EPERM) << "already a session leader";
  EXPECT_EQ(error(T.setsid(999)), ESRCH);
}

TEST_F(Shell, SetpgidRules) {
  // A child into a group of its own, and its sibling into that group.
  EXPECT_TRUE(T.setpgid(100, 101, 0, true));
  EXPECT_EQ(T.getpgid(100, 101).value(), 101);
  EXPECT_TRUE(T.setpgid(102, 0, 101, true));
  EXPECT_EQ(T.getpgid(102, 0).value(), 101);
  // Check only: nothing changes.
  EXPECT_TRUE(T.setpgid(102, 102, 0, false));
  EXPECT_EQ(T.getpgid(102, 0).value(), 101);
  EXPECT_EQ(error(T.setpgid(100, 101, -1, true)), EINVAL);
  EXPECT_EQ(error(T.setpgid(100, 999, 0, true)), ESRCH);
  EXPECT_EQ(error(T.setpgid(101, 102, 0, true)), ESRCH) << "not its child";
  EXPECT_EQ(error(T.setpgid(100, 102, 4242, true)), EPERM) << "no such group";
  EXPECT_EQ(error(T.setpgid(100, 100, 101, true)), EPERM)
      << "a session leader keeps its group";
  ASSERT_TRUE(T.execed(102, "sleep"));
  EXPECT_EQ(error(T.setpgid(100, 102, 102, true)), EACCES);
  // A child in another session, and a group of another session.
  ASSERT_TRUE(T.addChild(100, 103));
  ASSERT_TRUE(T.setsid(103));
  EXPECT_EQ(error(T.setpgid(100, 103, 0, true)), EPERM);
  ASSERT_TRUE(T.addChild(103, 301));
  EXPECT_EQ(error(T.setpgid(103, 301, 101, true)), EPERM);
}

TEST_F(Shell, KillReachesProcessesAndGroups) {
  std::vector<int32_t> To;
  EXPECT_EQ(T.signalTargets(101, 102, SIGTERM, To).value(), 1);
  EXPECT_EQ(To, std::vector<int32_t>({102}));
  EXPECT_EQ(error(T.signalTargets(101, 999, SIGTERM, To)), ESRCH);
  EXPECT_EQ(error(T.signalTargets(101, 999, 1000, To)), ESRCH)
      << "no such process comes before a bad signal";
  EXPECT_EQ(error(T.signalTargets(101, 102, 65, To)), EINVAL);
  EXPECT_EQ(error(T.signalTargets(101, 102, -1, To)), EINVAL);
  // Signal 0: the check only, nothing to deliver.
  EXPECT_TRUE(T.signalTargets(101, 102, 0, To));
  EXPECT_TRUE(To.empty());
  // The caller's group (all three), a named group.
  EXPECT_EQ(T.signalTargets(101, 0, SIGUSR1, To).value(), 3);
  ASSERT_TRUE(T.setpgid(100, 102, 0, true));
  EXPECT_EQ(T.signalTargets(101, -102, SIGUSR1, To).value(), 1);
  EXPECT_EQ(To, std::vector<int32_t>({102}));
  EXPECT_EQ(error(T.signalTargets(101, -4242, SIGUSR1, To)), ESRCH);
  // -1: everyone but init and the caller.
  EXPECT_EQ(T.signalTargets(101, -1, SIGUSR1, To).value(), 2);
  EXPECT_EQ(To, std::vector<int32_t>({100, 102}));
  // Zombies are there (kill says 0) but get nothing delivered.
  T.died(102);
  EXPECT_TRUE(T.signalTargets(101, 102, SIGTERM, To));
  EXPECT_TRUE(To.empty());
}

TEST(ProcessTableTest, InitIsNeverDeliveredTo) {
  ProcessTable T;
  ASSERT_TRUE(T.addRoot(10, 10, 10, user(0)));
  std::vector<int32_t> To;
  EXPECT_TRUE(T.signalTargets(10, ProcessTable::InitPid, SIGTERM, To));
  EXPECT_TRUE(To.empty());
}

TEST_F(Shell, KillChecksCredentials) {
  ASSERT_TRUE(T.addRoot(500, 500, 500, user(2000)));
  std::vector<int32_t> To;
  EXPECT_EQ(error(T.signalTargets(101, 500, SIGTERM, To)), EPERM);
  EXPECT_EQ(error(T.signalTargets(101, 500, 0, To)), EPERM)
      << "the permission probe";
  EXPECT_EQ(error(T.signalTargets(101, -500, SIGTERM, To)), EPERM);
  // -1 with only forbidden others besides its own: Linux says 0.
  EXPECT_TRUE(T.signalTargets(101, -1, SIGTERM, To));
  EXPECT_EQ(std::count(To.begin(), To.end(), 500), 0);
  // SIGCONT within a session is allowed whatever the ids.
  ASSERT_TRUE(T.addRoot(600, 100, 100, user(3000)));
  EXPECT_EQ(error(T.signalTargets(101, 600, SIGTERM, To)), EPERM);
  EXPECT_TRUE(T.signalTargets(101, 600, SIGCONT, To));
  EXPECT_EQ(To, std::vector<int32_t>({600}));
  // Root may signal anyone.
  ProcessTable R;
  ASSERT_TRUE(R.addRoot(10, 10, 10, user(0)));
  ASSERT_TRUE(R.addRoot(20, 20, 20, user(2000)));
  EXPECT_TRUE(R.signalTargets(10, 20, SIGTERM, To));
  EXPECT_EQ(error(R.signalTargets(20, 10, SIGTERM, To)), EPERM);
}

TEST(ProcessTableTest, CredentialRules) {
  ProcessTable T;
  ASSERT_TRUE(T.addRoot(10, 10, 10, user(0)));
  // Root's setresuid keeps a saved 0; then it may come back.
  EXPECT_TRUE(T.setCredentials(10, CallSetresuid, 1000, 1000, 0, true));
  const ProcessRecord *P = T.find(10);
  EXPECT_EQ(P->Cred.Euid, 1000u);
  EXPECT_EQ(P->Cred.Suid, 0u);
  EXPECT_EQ(error(T.setCredentials(10, CallSetresuid, 2000, -1, -1, true)),
            EPERM);
  EXPECT_TRUE(T.setCredentials(10, CallSetuid, 0, -1, -1, true))
      << "euid back to the saved 0";
  EXPECT_EQ(P->Cred.Euid, 0u);
  EXPECT_EQ(P->Cred.Ruid, 1000u);
  // Privileged setuid sets all three: no way back.
  EXPECT_TRUE(T.setCredentials(10, CallSetuid, 1000, -1, -1, true));
  EXPECT_EQ(P->Cred.Suid, 1000u);
  EXPECT_EQ(error(T.setCredentials(10, CallSetuid, 0, -1, -1, true)), EPERM);
  EXPECT_EQ(error(T.setCredentials(10, CallSetuid, -1, -1, -1, true)), EINVAL);
  // Checks without commit change nothing.
  ProcessTable U;
  ASSERT_TRUE(U.addRoot(10, 10, 10, user(0)));
  EXPECT_TRUE(U.setCredentials(10, CallSetgid, 50, -1, -1, false));
  EXPECT_EQ(U.find(10)->Cred.Egid, 0u);
  // setreuid: a real id change sets the saved id to the new effective one.
  EXPECT_TRUE(U.setCredentials(10, CallSetreuid, 1000, 2000, -1, true));
  EXPECT_EQ(U.find(10)->Cred.Ruid, 1000u);
  EXPECT_EQ(U.find(10)->Cred.Euid, 2000u);
  EXPECT_EQ(U.find(10)->Cred.Suid, 2000u);
  EXPECT_TRUE(U.setCredentials(10, CallSetreuid, 2000, 1000, -1, true))
      << "swapping real and effective";
  EXPECT_EQ(error(U.setCredentials(10, CallSetreuid, -1, 0, -1, true)), EPERM);
  EXPECT_EQ(error(U.setCredentials(10, 99, 0, 0, 0, true)), EINVAL);
}

TEST(ProcessTableTest, CapabilitiesDecideWhereKnown) {
  // setpriv's way: user 65534 kept CAP_SETGID across its setresuid, so
  // its setresgid to any group is allowed (the host says it holds it).
  ProcessTable T;
  ASSERT_TRUE(T.addRoot(10, 10, 10, user(0)));
  ASSERT_TRUE(T.setCredentials(10, CallSetresuid, 65534, 65534, 65534, true));
  EXPECT_EQ(error(T.setCredentials(10, CallSetresgid, 65534, 65534, 65534,
                                   false, /*Capable=*/0)),
            EPERM);
  EXPECT_TRUE(T.setCredentials(10, CallSetresgid, 65534, 65534, 65534, false,
                               /*Capable=*/1));
  EXPECT_TRUE(T.setCredentials(10, CallSetresgid, 65534, 65534, 65534, true,
                               /*Capable=*/1));
  EXPECT_EQ(T.find(10)->Cred.Egid, 65534u);
  EXPECT_TRUE(T.setGroups(10, 0, {}, true, /*Capable=*/1));
  EXPECT_EQ(error(T.setGroups(10, 0, {}, false, /*Capable=*/0)), EPERM);
  // Root without CAP_SETUID is refused at the check; at the commit (the
  // host made the change, which took the capability away) root's old ids
  // count.
  ProcessTable U;
  ASSERT_TRUE(U.addRoot(10, 10, 10, user(0)));
  EXPECT_EQ(error(U.setCredentials(10, CallSetuid, 1000, -1, -1, false,
                                   /*Capable=*/0)),
            EPERM);
  EXPECT_TRUE(U.setCredentials(10, CallSetuid, 1000, -1, -1, true,
                               /*Capable=*/0));
  EXPECT_EQ(U.find(10)->Cred.Ruid, 1000u);
}

TEST_F(Shell, ExecNamesTheProcessAndAFailedOneIsUndone) {
  T.setName(100, "bash");
  ASSERT_TRUE(T.addChild(100, 103));
  EXPECT_EQ(T.find(103)->Name, "bash") << "fork copies the name";
  EXPECT_EQ(T.find(1)->Name, "init");
  // Exec sets the saved ids to the effective ones.
  ProcessTable R;
  ASSERT_TRUE(R.addRoot(10, 10, 10, user(0)));
  ASSERT_TRUE(R.setCredentials(10, CallSetresuid, 0, 1000, 0, true));
  ASSERT_TRUE(R.execed(10, "prog"));
  EXPECT_EQ(R.find(10)->Cred.Suid, 1000u);
  EXPECT_TRUE(R.find(10)->Execed);
  ASSERT_TRUE(R.execFailed(10));
  EXPECT_EQ(R.find(10)->Cred.Suid, 0u) << "the exec failed: as before";
  EXPECT_FALSE(R.find(10)->Execed);
  EXPECT_EQ(error(R.execFailed(10)), EINVAL) << "nothing announced";
  // A name, then another exec that works, then one that fails.
  ASSERT_TRUE(T.execed(103, "sort"));
  ASSERT_TRUE(T.execed(103, "uniq"));
  ASSERT_TRUE(T.execFailed(103));
  EXPECT_EQ(T.find(103)->Name, "sort");
  EXPECT_TRUE(T.find(103)->Execed);
  // Names are Linux's comm: at most 15 bytes, no NUL.
  EXPECT_EQ(error(T.execed(103, "a-name-of-16-chr")), EINVAL);
  EXPECT_EQ(error(T.execed(103, std::string_view("a\0b", 3))), EINVAL);
  EXPECT_EQ(error(T.execed(999, "x")), ESRCH);
  EXPECT_EQ(T.find(103)->Name, "sort");
  T.setName(100, "a-very-long-program-name");
  EXPECT_EQ(T.find(100)->Name, "a-very-long-pro");
  // The host's word names a process only until it announces an exec.
  EXPECT_TRUE(T.find(103)->NameAnnounced) << "sort's exec was announced";
  T.setName(103, "other");
  EXPECT_EQ(T.find(103)->Name, "sort");
  ASSERT_TRUE(T.execed(103, "tr"));
  EXPECT_EQ(T.find(103)->Name, "tr");
  ASSERT_TRUE(T.addChild(103, 104));
  EXPECT_FALSE(T.find(104)->NameAnnounced) << "a fork child may exec unseen";
  T.setName(104, "cut");
  EXPECT_EQ(T.find(104)->Name, "cut");
}

TEST_F(Shell, QueuedSignalsFollowLinuxsCodeRules) {
  std::vector<int32_t> To;
  EXPECT_EQ(T.queueTarget(101, 102, SIGUSR1, SI_QUEUE, To).value(), 1);
  EXPECT_EQ(To, std::vector<int32_t>({102}));
  // Codes only the kernel or kill set: not to another process.
  EXPECT_EQ(error(T.queueTarget(101, 102, SIGUSR1, SI_USER, To)), EPERM);
  EXPECT_EQ(error(T.queueTarget(101, 102, SIGUSR1, SI_TKILL, To)), EPERM);
  EXPECT_EQ(error(T.queueTarget(101, 102, SIGUSR1, 1, To)), EPERM);
  EXPECT_TRUE(To.empty());
  EXPECT_TRUE(T.queueTarget(101, 101, SIGUSR1, SI_USER, To)) << "itself";
  // No groups, no -1: ESRCH; then kill's rules.
  EXPECT_EQ(error(T.queueTarget(101, 0, SIGUSR1, SI_QUEUE, To)), ESRCH);
  EXPECT_EQ(error(T.queueTarget(101, -100, SIGUSR1, SI_QUEUE, To)), ESRCH);
  EXPECT_EQ(error(T.queueTarget(101, 999, SIGUSR1, SI_QUEUE, To)), ESRCH);
  EXPECT_EQ(error(T.queueTarget(101, 102, 65, SI_QUEUE, To)), EINVAL);
  ASSERT_TRUE(T.addRoot(500, 500, 500, user(2000)));
  EXPECT_EQ(error(T.queueTarget(101, 500, SIGUSR1, SI_QUEUE, To)), EPERM);
  EXPECT_TRUE(T.queueTarget(101, 102, 0, SI_QUEUE, To));
  EXPECT_TRUE(To.empty()) << "signal 0 checks only";
}

TEST(ProcessTableTest, GroupsNeedRootAndAreKeptSorted) {
  ProcessTable T;
  Credentials Root = user(0);
  Root.Groups = {0, 4};
  ASSERT_TRUE(T.addRoot(10, 10, 10, Root));
  ASSERT_TRUE(T.addRoot(20, 20, 20, user(1000)));
  const uint32_t Three[] = {7, 5, 6};
  EXPECT_EQ(error(T.setGroups(20, 0, {}, false)), EPERM);
  EXPECT_EQ(error(T.setGroups(20, -1, {}, false)), EPERM)
      << "EPERM comes before EINVAL";
  EXPECT_EQ(error(T.setGroups(10, -1, {}, false)), EINVAL);
  EXPECT_EQ(error(T.setGroups(10, GroupsMax + 1, {}, false)), EINVAL);
  EXPECT_TRUE(T.setGroups(10, GroupsMax, {}, false)) << "a check only";
  EXPECT_EQ(T.find(10)->Cred.Groups, std::vector<uint32_t>({0, 4}));
  EXPECT_EQ(error(T.setGroups(10, 2, Three, true)), EINVAL)
      << "the list must hold the count";
  const uint32_t Bad[] = {3, UINT32_MAX};
  EXPECT_EQ(error(T.setGroups(10, 2, Bad, true)), EINVAL);
  ASSERT_TRUE(T.setGroups(10, 3, Three, true));
  EXPECT_EQ(T.find(10)->Cred.Groups, std::vector<uint32_t>({5, 6, 7}));
  ASSERT_TRUE(T.addChild(10, 11));
  EXPECT_EQ(T.find(11)->Cred.Groups, std::vector<uint32_t>({5, 6, 7}))
      << "fork keeps them";
  // Dropping the effective uid ends the right to set them.
  ASSERT_TRUE(T.setCredentials(11, CallSetuid, 1000, -1, -1, true));
  EXPECT_EQ(error(T.setGroups(11, 0, {}, true)), EPERM);
  EXPECT_EQ(T.find(11)->Cred.Groups.size(), 3u);
  ASSERT_TRUE(T.setGroups(10, 0, {}, true));
  EXPECT_TRUE(T.find(10)->Cred.Groups.empty());
}

} // namespace
