//===- test/unit/SharedRootsTest.cpp - Mount roots a family shares --------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// SharedRoots: an answer a fork child records reaches its parent and its
// other children, only for the same mount and table version, and nothing
// is shared before the first fork.
//
//===----------------------------------------------------------------------===//

#include "k42/personality/SharedRoots.h"

#include <gtest/gtest.h>

#include <string>

#include <sys/wait.h>
#include <unistd.h>

using namespace k42::personality;

namespace {

const SharedRoots::Key Usr{7, 42, "/usr", "hostfs-usr"};

class SharedRootsTest : public ::testing::Test {
protected:
  void TearDown() override { SharedRoots::reset(); }
};

/// Runs \p Body in a fork child; its exit status.
template <typename Fn> int inChild(Fn Body) {
  pid_t Child = fork();
  if (Child == 0) {
    Body();
    _exit(0);
  }
  int Status = -1;
  EXPECT_EQ(waitpid(Child, &Status, 0), Child);
  return Status;
}

TEST_F(SharedRootsTest, NothingBeforeTheFirstFork) {
  uint64_t Dev = 0, Ino = 0;
  SharedRoots::publish(Usr, 1, 2);
  EXPECT_FALSE(SharedRoots::find(Usr, Dev, Ino));
}

TEST_F(SharedRootsTest, AChildsAnswerReachesItsParentAndSiblings) {
  SharedRoots::beforeFork();
  EXPECT_EQ(inChild([] { SharedRoots::publish(Usr, 0x801, 1234); }), 0);
  uint64_t Dev = 0, Ino = 0;
  ASSERT_TRUE(SharedRoots::find(Usr, Dev, Ino));
  EXPECT_EQ(Dev, 0x801u);
  EXPECT_EQ(Ino, 1234u);
  // A later child, and a child of that child, find it too.
  int Status = inChild([] {
    uint64_t D = 0, I = 0;
    if (!SharedRoots::find(Usr, D, I) || I != 1234)
      _exit(1);
    SharedRoots::beforeFork(); // Has the page already: keeps it.
    pid_t Grandchild = fork();
    if (Grandchild == 0)
      _exit(SharedRoots::find(Usr, D, I) && I == 1234 ? 0 : 2);
    int S = -1;
    waitpid(Grandchild, &S, 0);
    _exit(WIFEXITED(S) ? WEXITSTATUS(S) : 3);
  });
  EXPECT_TRUE(WIFEXITED(Status) && WEXITSTATUS(Status) == 0) << Status;
}

TEST_F(SharedRootsTest, OnlyTheSameMountAndTableVersion) {
  SharedRoots::beforeFork();
  SharedRoots::publish(Usr, 0x801, 1234);
  uint64_t Dev = 0, Ino = 0;
  for (SharedRoots::Key Other : {SharedRoots::Key{8, 42, "/usr", "hostfs-usr"},
                                 SharedRoots::Key{7, 43, "/usr", "hostfs-usr"},
                                 SharedRoots::Key{7, 42, "/us", "hostfs-usr"},
                                 SharedRoots::Key{7, 42, "/usr", "hostfs"}})
    EXPECT_FALSE(SharedRoots::find(Other, Dev, Ino)) << Other.Path;
  EXPECT_TRUE(SharedRoots::find(Usr, Dev, Ino));
}

TEST_F(SharedRootsTest, KeysTooLongAndAFullPageAreNotShared) {
  SharedRoots::beforeFork();
  std::string Long(200, 'x');
  SharedRoots::Key TooLong{7, 42, Long.c_str(), "hostfs-usr"};
  SharedRoots::publish(TooLong, 1, 2);
  uint64_t Dev = 0, Ino = 0;
  EXPECT_FALSE(SharedRoots::find(TooLong, Dev, Ino));
  // Fill the page with other versions; the last one does not fit.
  for (uint64_t V = 100; V < 200; ++V)
    SharedRoots::publish({V, 42, "/usr", "hostfs-usr"}, 1, V);
  EXPECT_TRUE(SharedRoots::find({100, 42, "/usr", "hostfs-usr"}, Dev, Ino));
  EXPECT_EQ(Ino, 100u);
  EXPECT_FALSE(SharedRoots::find({199, 42, "/usr", "hostfs-usr"}, Dev, Ino));
}

TEST_F(SharedRootsTest, AHostDirectoryIsSharedOnceAndOnlyWithItsRoot) {
  char Out[64];
  SharedRoots::beforeFork();
  // No root recorded for the key yet: nothing to hang it on.
  SharedRoots::publishHostDir(Usr, "/usr");
  EXPECT_FALSE(SharedRoots::findHostDir(Usr, Out, sizeof(Out)));
  SharedRoots::publish(Usr, 0x801, 1234);
  EXPECT_FALSE(SharedRoots::findHostDir(Usr, Out, sizeof(Out)));
  EXPECT_EQ(inChild([] { SharedRoots::publishHostDir(Usr, "/usr"); }), 0);
  ASSERT_TRUE(SharedRoots::findHostDir(Usr, Out, sizeof(Out)));
  EXPECT_STREQ(Out, "/usr");
  // Written once: a later answer does not replace it.
  SharedRoots::publishHostDir(Usr, "/elsewhere");
  ASSERT_TRUE(SharedRoots::findHostDir(Usr, Out, sizeof(Out)));
  EXPECT_STREQ(Out, "/usr");
  // No room for it with its NUL; another key.
  EXPECT_FALSE(SharedRoots::findHostDir(Usr, Out, 4));
  EXPECT_TRUE(SharedRoots::findHostDir(Usr, Out, 5));
  SharedRoots::Key Other{7, 42, "/lib", "hostfs-usr"};
  SharedRoots::publish(Other, 0x801, 99);
  EXPECT_FALSE(SharedRoots::findHostDir(Other, Out, sizeof(Out)));
  // A name longer than an entry holds is not shared.
  std::string Long(200, 'x');
  Long[0] = '/';
  SharedRoots::publishHostDir(Other, Long.c_str());
  EXPECT_FALSE(SharedRoots::findHostDir(Other, Out, sizeof(Out)));
}

} // namespace
