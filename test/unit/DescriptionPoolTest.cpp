//===- test/unit/DescriptionPoolTest.cpp - Reused descriptions ------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// DescriptionPool, on real memfds in this process: a description closed
/// goes back and is the next one made, zeroed and still sealed; one in
/// use across a clone or a send (the epoch moved), or taken by another
/// process (Taken), is let go at its close, never kept, and one taken
/// after its close is not reused; a fork child starts with none of its
/// parent's; a full pool leaves further descriptions to be made as before.
///
//===----------------------------------------------------------------------===//

#include "k42/personality/DescriptionPool.h"
#include "k42/personality/FileDescription.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using k42::personality::DescriptionPool;
using k42::personality::FileDescription;

namespace {

struct Made {
  long Fd = -1;
  FileDescription *Desc = nullptr;
};

Made create(const char *Path, bool Cloexec = true) {
  Made M;
  M.Fd = FileDescription::create(Path, O_RDWR, false, Cloexec, M.Desc);
  return M;
}

/// The last close of \p M, as FileCalls' closeFile makes it.
void closeMade(Made &M) {
  FileDescription::detach(M.Desc);
  close(int(M.Fd));
  M = Made();
}

/// Empties the pool between tests: a fork child's reset, in this process.
class DescriptionPoolTest : public ::testing::Test {
protected:
  void SetUp() override { DescriptionPool::forked(); }
  void TearDown() override { DescriptionPool::forked(); }
};

TEST_F(DescriptionPoolTest, ClosedDescriptionIsTheNextOneMade) {
  Made A = create("/tmp/a");
  ASSERT_GE(A.Fd, 0);
  EXPECT_TRUE(FileDescription::heldAt(A.Fd));
  A.Desc->Offset = 77;
  A.Desc->OpenKey = 5;
  A.Desc->Cached = 1;
  FileDescription *First = A.Desc;
  closeMade(A);
  EXPECT_EQ(DescriptionPool::kept(), 1);

  Made B = create("/tmp/b", /*Cloexec=*/false);
  ASSERT_GE(B.Fd, 0);
  EXPECT_EQ(B.Desc, First);
  EXPECT_EQ(DescriptionPool::kept(), 0);
  // As a new one: only what create() sets.
  EXPECT_EQ(B.Desc->Offset, 0u);
  EXPECT_EQ(B.Desc->OpenKey, 0u);
  EXPECT_EQ(B.Desc->Cached, 0u);
  EXPECT_STREQ(B.Desc->Path, "/tmp/b");
  EXPECT_EQ(B.Desc->Magic, FileDescription::MagicValue);
  EXPECT_TRUE(FileDescription::heldAt(B.Fd));
  EXPECT_EQ(fcntl(int(B.Fd), F_GETFD), 0);
  // Still the sealed memfd with its offset at the end: a write by code
  // without the personality fails.
  EXPECT_EQ(write(int(B.Fd), "x", 1), -1);
  closeMade(B);
}

TEST_F(DescriptionPoolTest, KeptDescriptionIsNoDescription) {
  Made A = create("/tmp/a");
  ASSERT_GE(A.Fd, 0);
  int Other = fcntl(int(A.Fd), F_DUPFD_CLOEXEC, 0);
  ASSERT_GE(Other, 0);
  closeMade(A);
  // Whatever still reaches the memfd now finds no description in it.
  EXPECT_FALSE(FileDescription::heldAt(Other));
  close(Other);
}

TEST_F(DescriptionPoolTest, InUseAcrossACloneIsLetGo) {
  Made A = create("/tmp/a");
  ASSERT_GE(A.Fd, 0);
  int Held = fcntl(int(A.Fd), F_DUPFD_CLOEXEC, 0); // the child's copy
  DescriptionPool::cloning();
  closeMade(A);
  EXPECT_EQ(DescriptionPool::kept(), 0);
  // The child's description is untouched by the next open.
  Made B = create("/tmp/b");
  ASSERT_GE(B.Fd, 0);
  EXPECT_TRUE(FileDescription::heldAt(Held));
  FileDescription *Child = nullptr;
  ASSERT_EQ(FileDescription::attach(Held, Child), 0);
  EXPECT_STREQ(Child->Path, "/tmp/a");
  FileDescription::unmap(Child);
  close(Held);
  closeMade(B);
}

TEST_F(DescriptionPoolTest, SentDescriptionIsLetGo) {
  Made A = create("/tmp/a");
  ASSERT_GE(A.Fd, 0);
  DescriptionPool::exposeAll();
  closeMade(A);
  EXPECT_EQ(DescriptionPool::kept(), 0);
  // One made after the send is kept again.
  Made B = create("/tmp/b");
  ASSERT_GE(B.Fd, 0);
  closeMade(B);
  EXPECT_EQ(DescriptionPool::kept(), 1);
}

TEST_F(DescriptionPoolTest, TakenDescriptionIsLetGo) {
  // Another process took it (pidfd_getfd) while it was in use: its
  // close keeps it for no next open.
  Made A = create("/tmp/a");
  ASSERT_GE(A.Fd, 0);
  __atomic_store_n(&A.Desc->Taken, 1, __ATOMIC_RELEASE);
  closeMade(A);
  EXPECT_EQ(DescriptionPool::kept(), 0);
}

TEST_F(DescriptionPoolTest, MarkedTakenAfterItsCloseIsNotReused) {
  // The taker attached it before the close and marks it after: the next
  // open makes a new one, and the taker's is no other file's.
  Made A = create("/tmp/a");
  ASSERT_GE(A.Fd, 0);
  int Taker = fcntl(int(A.Fd), F_DUPFD_CLOEXEC, 0);
  ASSERT_GE(Taker, 0);
  FileDescription *Theirs = nullptr;
  ASSERT_EQ(FileDescription::attach(Taker, Theirs), 0);
  closeMade(A);
  ASSERT_EQ(DescriptionPool::kept(), 1);
  __atomic_store_n(&Theirs->Taken, 1, __ATOMIC_RELEASE);
  Made B = create("/tmp/b");
  ASSERT_GE(B.Fd, 0);
  EXPECT_EQ(DescriptionPool::kept(), 0);
  struct stat Mine, Other;
  ASSERT_EQ(fstat(int(B.Fd), &Mine), 0);
  ASSERT_EQ(fstat(Taker, &Other), 0);
  EXPECT_NE(Mine.st_ino, Other.st_ino);
  FileDescription::unmap(Theirs);
  close(Taker);
  closeMade(B);
}

TEST_F(DescriptionPoolTest, ForkChildKeepsNoneOfItsParents) {
  Made A = create("/tmp/a");
  ASSERT_GE(A.Fd, 0);
  FileDescription *First = A.Desc;
  closeMade(A);
  ASSERT_EQ(DescriptionPool::kept(), 1);
  pid_t Child = fork();
  if (Child == 0) {
    DescriptionPool::forked();
    Made B = create("/tmp/child");
    bool Fresh = B.Fd >= 0 && B.Desc != First;
    _exit(DescriptionPool::kept() == 0 && Fresh ? 0 : 1);
  }
  ASSERT_GT(Child, 0);
  int Status = 0;
  ASSERT_EQ(waitpid(Child, &Status, 0), Child);
  EXPECT_TRUE(WIFEXITED(Status) && WEXITSTATUS(Status) == 0);
  // The parent's kept one is still its own, and unchanged by the child.
  Made C = create("/tmp/c");
  EXPECT_EQ(C.Desc, First);
  EXPECT_STREQ(C.Desc->Path, "/tmp/c");
  closeMade(C);
}

TEST_F(DescriptionPoolTest, FullPoolMakesTheRestAsBefore) {
  std::vector<Made> Open;
  for (int I = 0; I < DescriptionPool::MaxEntries + 3; ++I) {
    Open.push_back(create("/tmp/many"));
    ASSERT_GE(Open.back().Fd, 0);
  }
  for (Made &M : Open)
    closeMade(M);
  EXPECT_EQ(DescriptionPool::kept(), DescriptionPool::MaxEntries);
}

} // namespace
