//===- test/unit/FileDescriptionTest.cpp - Shared open files --------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/FileDescription.h"

#include "k42/personality/DescriptionPool.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace k42::personality;

namespace {

/// A write through the description, as FileCalls does it: at the shared
/// offset, under the shared lock, the offset moved past what was written.
void writeInTurn(FileDescription &D, int HostFile, const char *Text) {
  D.Lock.lock();
  size_t Len = std::strlen(Text);
  uint64_t At = D.Offset;
  if (D.Flags & O_APPEND)
    At = uint64_t(lseek(HostFile, 0, SEEK_END));
  ASSERT_EQ(pwrite(HostFile, Text, Len, off_t(At)), ssize_t(Len));
  D.Offset = At + Len;
  D.Lock.unlock();
}

/// Runs \p Body in a forked child; the child's exit status.
template <typename BodyFn> int inChild(BodyFn Body) {
  pid_t Pid = fork();
  if (Pid == 0) {
    Body();
    _exit(::testing::Test::HasFailure() ? 1 : 0);
  }
  int Status = -1;
  waitpid(Pid, &Status, 0);
  return WIFEXITED(Status) ? WEXITSTATUS(Status) : 128 + WTERMSIG(Status);
}

std::string contents(int Fd) {
  char Buffer[256];
  ssize_t N = pread(Fd, Buffer, sizeof(Buffer), 0);
  return std::string(Buffer, N > 0 ? size_t(N) : 0);
}

struct HostFile {
  HostFile() {
    char Name[] = "/tmp/k42-fdesc-XXXXXX";
    Fd = mkstemp(Name);
    unlink(Name);
  }
  ~HostFile() { close(Fd); }
  int Fd;
};

TEST(FileDescriptionTest, CreateGivesTheLowestFreeDescriptorAndTheRecord) {
  FileDescription *D = nullptr;
  long Fd = FileDescription::create("/tmp/w/top", O_WRONLY | O_APPEND, false,
                                    true, D);
  ASSERT_GE(Fd, 0);
  ASSERT_NE(D, nullptr);
  EXPECT_STREQ(D->Path, "/tmp/w/top");
  EXPECT_EQ(D->Flags, uint32_t(O_WRONLY | O_APPEND));
  EXPECT_EQ(D->IsDir, 0u);
  EXPECT_EQ(D->Offset, 0u);
  EXPECT_EQ(D->Magic, FileDescription::MagicValue);
  EXPECT_EQ(fcntl(int(Fd), F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
  // The next one takes the next free number, like the open it stands for.
  int Next = dup(0);
  EXPECT_GT(Next, int(Fd));
  close(Next);
  char Link[64] = {};
  std::string Self = "/proc/self/fd/" + std::to_string(Fd);
  ASSERT_GT(readlink(Self.c_str(), Link, sizeof(Link) - 1), 0);
  EXPECT_EQ(std::strncmp(Link, "/memfd:k42-file", 15), 0) << Link;
  FileDescription::detach(D);
  close(int(Fd));
}

TEST(FileDescriptionTest, TooLongAPathIsRefused) {
  std::string Long(k42::fs::PathMax + 1, 'a');
  FileDescription *D = nullptr;
  EXPECT_EQ(FileDescription::create(Long.c_str(), O_RDONLY, false, true, D),
            -ENAMETOOLONG);
  EXPECT_EQ(D, nullptr);
}

// `{ echo a; /bin/echo b; } > f`: the parent and a forked child write one
// inherited description in turn; neither overwrites the other.
TEST(FileDescriptionTest, ForkedProcessesWriteInTurnAtOneOffset) {
  HostFile File;
  FileDescription *D = nullptr;
  long Fd = FileDescription::create("/tmp/f", O_WRONLY, false, true, D);
  ASSERT_GE(Fd, 0);
  writeInTurn(*D, File.Fd, "a\n");
  EXPECT_EQ(inChild([&] { writeInTurn(*D, File.Fd, "bb\n"); }), 0);
  EXPECT_EQ(D->Offset, 5u);
  writeInTurn(*D, File.Fd, "c\n");
  EXPECT_EQ(inChild([&] { writeInTurn(*D, File.Fd, "d\n"); }), 0);
  EXPECT_EQ(contents(File.Fd), "a\nbb\nc\nd\n");
  EXPECT_EQ(D->Offset, 9u);
  // lseek in the child moves the parent's offset too.
  EXPECT_EQ(inChild([&] { D->Offset = 2; }), 0);
  writeInTurn(*D, File.Fd, "B");
  EXPECT_EQ(contents(File.Fd), "a\nBb\nc\nd\n");
  FileDescription::detach(D);
  close(int(Fd));
}

// `(cmd1; cmd2) >> log`: O_APPEND set in one process (fcntl F_SETFL) is
// every holder's, and appends by both land one after the other.
TEST(FileDescriptionTest, StatusFlagsAndAppendsAreShared) {
  HostFile File;
  ASSERT_EQ(write(File.Fd, "old\n", 4), 4);
  FileDescription *D = nullptr;
  long Fd = FileDescription::create("/tmp/log", O_WRONLY, false, true, D);
  ASSERT_GE(Fd, 0);
  EXPECT_EQ(inChild([&] { D->Flags |= O_APPEND | O_NONBLOCK; }), 0);
  EXPECT_EQ(D->Flags, uint32_t(O_WRONLY | O_APPEND | O_NONBLOCK));
  EXPECT_EQ(inChild([&] { writeInTurn(*D, File.Fd, "1\n"); }), 0);
  writeInTurn(*D, File.Fd, "2\n");
  EXPECT_EQ(inChild([&] { writeInTurn(*D, File.Fd, "3\n"); }), 0);
  EXPECT_EQ(contents(File.Fd), "old\n1\n2\n3\n");
  FileDescription::detach(D);
  close(int(Fd));
}

// The lock is a futex on shared memory: it excludes other processes, or
// read-modify-write updates of the offset would be lost.
TEST(FileDescriptionTest, TheLockExcludesOtherProcesses) {
  FileDescription *D = nullptr;
  long Fd = FileDescription::create("/tmp/n", O_RDWR, false, true, D);
  ASSERT_GE(Fd, 0);
  constexpr int Rounds = 20000;
  auto Count = [&] {
    for (int I = 0; I < Rounds; ++I) {
      D->Lock.lock();
      uint64_t Seen = __atomic_load_n(&D->Offset, __ATOMIC_RELAXED);
      if (I % 64 == 0)
        sched_yield();
      __atomic_store_n(&D->Offset, Seen + 1, __ATOMIC_RELAXED);
      D->Lock.unlock();
    }
  };
  pid_t A = fork();
  if (A == 0) {
    Count();
    _exit(0);
  }
  pid_t B = fork();
  if (B == 0) {
    Count();
    _exit(0);
  }
  Count();
  int S = 0;
  waitpid(A, &S, 0);
  EXPECT_TRUE(WIFEXITED(S) && WEXITSTATUS(S) == 0);
  waitpid(B, &S, 0);
  EXPECT_TRUE(WIFEXITED(S) && WEXITSTATUS(S) == 0);
  EXPECT_EQ(D->Offset, uint64_t(3 * Rounds));
  FileDescription::detach(D);
  close(int(Fd));
}

// After exec a process has the descriptor but not the mapping: attach()
// maps the same description again from the descriptor alone.
TEST(FileDescriptionTest, AttachFindsTheDescriptionByItsDescriptor) {
  FileDescription *D = nullptr;
  long Fd = FileDescription::create("/tmp/x", O_RDONLY, true, false, D);
  ASSERT_GE(Fd, 0);
  D->Offset = 7;
  EXPECT_EQ(inChild([&] {
              FileDescription *Again = nullptr;
              ASSERT_EQ(FileDescription::attach(Fd, Again), 0);
              ASSERT_NE(Again, D);
              EXPECT_STREQ(Again->Path, "/tmp/x");
              EXPECT_EQ(Again->IsDir, 1u);
              EXPECT_EQ(Again->Offset, 7u);
              Again->Offset = 99;
              FileDescription::detach(Again);
            }),
            0);
  EXPECT_EQ(D->Offset, 99u);
  // Not a description: a pipe cannot be mapped, another memfd has no magic.
  int Pipe[2];
  ASSERT_EQ(pipe(Pipe), 0);
  FileDescription *Not = nullptr;
  EXPECT_LT(FileDescription::attach(Pipe[0], Not), 0);
  EXPECT_EQ(Not, nullptr);
  int Other = memfd_create("other", 0);
  ASSERT_EQ(ftruncate(Other, 8192), 0);
  EXPECT_EQ(FileDescription::attach(Other, Not), -EINVAL);
  EXPECT_EQ(Not, nullptr);
  close(Other);
  close(Pipe[0]);
  close(Pipe[1]);
  FileDescription::detach(D);
  close(int(Fd));
}

// The host counts the references: a child that still holds the descriptor
// keeps the description after the parent has closed its own.
TEST(FileDescriptionTest, TheDescriptionOutlivesItsOpener) {
  FileDescription *D = nullptr;
  long Fd = FileDescription::create("/tmp/y", O_RDWR, false, true, D);
  ASSERT_GE(Fd, 0);
  int Ready[2];
  ASSERT_EQ(pipe(Ready), 0);
  // As the personality's fork does (CloneCalls): the child's description
  // is not the parent's to keep for its next open (DescriptionPool.h).
  DescriptionPool::cloning();
  pid_t Child = fork();
  if (Child == 0) {
    char C;
    (void)read(Ready[0], &C, 1); // the parent has closed and unmapped
    FileDescription *Again = nullptr;
    if (FileDescription::attach(Fd, Again) != 0 || Again->Offset != 5)
      _exit(1);
    _exit(0);
  }
  D->Offset = 5;
  FileDescription::detach(D);
  close(int(Fd));
  ASSERT_EQ(write(Ready[1], "x", 1), 1);
  int S = 0;
  waitpid(Child, &S, 0);
  EXPECT_TRUE(WIFEXITED(S) && WEXITSTATUS(S) == 0);
  close(Ready[0]);
  close(Ready[1]);
}

} // namespace
