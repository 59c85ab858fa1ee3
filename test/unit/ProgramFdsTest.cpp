//===- test/unit/ProgramFdsTest.cpp - The program's high numbers ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// ProgramFds: which numbers from 1000 up are the program's (marked as the
/// host makes them) and which the personality's (open, unmarked); the walk
/// over the marks across words; what an exec hands on (open, not
/// close-on-exec) and the new image takes; the calls refused; the numbers
/// k42-exec names (a listing of this process's descriptors keeping the
/// program's: DevFdTest).
///
//===----------------------------------------------------------------------===//

#include "k42/personality/ProgramFds.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

using k42::personality::ProgramFds;

namespace {

constexpr long First = ProgramFds::First;

/// The marks in force, as after FileState::start in a program's image
/// (DevFdTest's listing check counts on it too).
const bool Started = (ProgramFds::started(), true);

/// The marked numbers from \p Low to \p High.
std::vector<long> marks(long Low, long High) {
  std::vector<long> Out;
  ProgramFds::forEach(Low, High, [&](long Fd) { Out.push_back(Fd); });
  return Out;
}

TEST(ProgramFdsTest, MarksSayWhoseANumberIs) {
  ASSERT_TRUE(Started);
  EXPECT_TRUE(ProgramFds::holds(5));
  EXPECT_TRUE(ProgramFds::holds(First - 1));
  EXPECT_FALSE(ProgramFds::holds(First + 5));
  ProgramFds::gained(First + 5);
  EXPECT_TRUE(ProgramFds::holds(First + 5));
  ProgramFds::lost(First + 5);
  EXPECT_FALSE(ProgramFds::holds(First + 5));
  // Errors, low numbers and numbers past the marks change nothing.
  ProgramFds::gained(-9);
  ProgramFds::gained(3);
  ProgramFds::gained(First + ProgramFds::Covered);
  EXPECT_FALSE(ProgramFds::holds(First + ProgramFds::Covered));
  EXPECT_TRUE(marks(First, First + ProgramFds::Covered).empty());
}

TEST(ProgramFdsTest, TheWalkCrossesWords) {
  for (long Fd : {First, First + 63, First + 64, First + 200, First + 4095})
    ProgramFds::gained(Fd);
  EXPECT_EQ(marks(First, First + 5000),
            (std::vector<long>{First, First + 63, First + 64, First + 200,
                               First + 4095}));
  EXPECT_EQ(marks(First + 1, First + 199),
            (std::vector<long>{First + 63, First + 64}));
  EXPECT_EQ(marks(0, First + 63), (std::vector<long>{First, First + 63}));
  for (long Fd : marks(First, First + 5000))
    ProgramFds::lost(Fd);
  EXPECT_TRUE(marks(First, First + 5000).empty());
}

TEST(ProgramFdsTest, AnOpenUnmarkedNumberIsThePersonalitys) {
  int Fd = fcntl(0, F_DUPFD, int(First + 300));
  ASSERT_GE(Fd, First + 300);
  EXPECT_TRUE(ProgramFds::isPrivate(Fd));
  ProgramFds::gained(Fd);
  EXPECT_FALSE(ProgramFds::isPrivate(Fd));
  ProgramFds::lost(Fd);
  close(Fd);
  // Closed: no one's.
  EXPECT_FALSE(ProgramFds::isPrivate(Fd));
  EXPECT_FALSE(ProgramFds::isPrivate(3)); // below 1000: the program's
}

TEST(ProgramFdsTest, AnExecHandsOnTheOpenOnesItKeeps) {
  int Kept = fcntl(0, F_DUPFD, int(First + 400));
  int Closing = fcntl(0, F_DUPFD_CLOEXEC, int(First + 401));
  ASSERT_GE(Kept, First + 400);
  ASSERT_GT(Closing, Kept);
  long Gone = Closing + 1;
  ASSERT_LT(fcntl(int(Gone), F_GETFD), 0);
  for (long Fd : {long(Kept), long(Closing), Gone})
    ProgramFds::gained(Fd);
  int32_t Out[8];
  size_t N = ProgramFds::beforeExec(Out, 8);
  ASSERT_EQ(N, 1u);
  EXPECT_EQ(Out[0], Kept);
  // The new image's marks are what was handed on.
  for (long Fd : marks(First, First + 1000))
    ProgramFds::lost(Fd);
  ProgramFds::afterExec(Out, N);
  EXPECT_EQ(marks(First, First + 1000), (std::vector<long>{Kept}));
  ProgramFds::lost(Kept);
  close(Kept);
  close(Closing);
}

TEST(ProgramFdsTest, CallsNamingThePersonalitysDescriptorsAreRefused) {
  long Args[6] = {First + 7, 0, 0, 0, 0, 0};
  EXPECT_TRUE(ProgramFds::namesPrivate(SYS_write, Args));
  EXPECT_TRUE(ProgramFds::namesPrivate(SYS_fstat, Args));
  EXPECT_FALSE(ProgramFds::namesPrivate(SYS_getpid, Args));
  ProgramFds::gained(First + 7);
  EXPECT_FALSE(ProgramFds::namesPrivate(SYS_write, Args));
  ProgramFds::lost(First + 7);
  // The second descriptor of a pair, AT_FDCWD, and mmap's only when it
  // maps a file.
  long Splice[6] = {3, 0, First + 9, 0, 0, 0};
  EXPECT_TRUE(ProgramFds::namesPrivate(SYS_splice, Splice));
  long At[6] = {AT_FDCWD, 0, 0, 0, 0, 0};
  EXPECT_FALSE(ProgramFds::namesPrivate(SYS_openat, At));
  long Anon[6] = {0, 4096, 3, MAP_PRIVATE | MAP_ANONYMOUS, First + 9, 0};
  EXPECT_FALSE(ProgramFds::namesPrivate(SYS_mmap, Anon));
  Anon[3] = MAP_SHARED;
  EXPECT_TRUE(ProgramFds::namesPrivate(SYS_mmap, Anon));
}

TEST(ProgramFdsTest, OnlyTheImageNamedTakesTheInheritedNumbers) {
  int Fd = fcntl(0, F_DUPFD, int(First + 600));
  ASSERT_GE(Fd, First + 600);
  std::string Mine = std::string(ProgramFds::InheritedName) + "=" +
                     std::to_string(getpid()) + ":" + std::to_string(Fd) + "," +
                     std::to_string(Fd + 1);
  std::string Other =
      std::string(ProgramFds::InheritedName) + "=1:" + std::to_string(Fd);
  std::string Keep = "HOME=/root";
  char *Env[] = {Other.data(), Keep.data(), nullptr};
  ProgramFds::inherit(Env);
  EXPECT_FALSE(ProgramFds::holds(Fd)); // another process's list
  EXPECT_EQ(Env[0], Keep.data());      // taken out all the same
  // A number past the marks is no number at all (not its last digits).
  std::string Long =
      std::string(ProgramFds::InheritedName) + "=" + std::to_string(getpid()) +
      ":" + std::to_string(First + ProgramFds::Covered) + std::to_string(Fd);
  char *Env1[] = {Long.data(), nullptr};
  ProgramFds::inherit(Env1);
  EXPECT_FALSE(ProgramFds::holds(Fd));
  char *Env2[] = {Keep.data(), Mine.data(), nullptr};
  ProgramFds::inherit(Env2);
  EXPECT_TRUE(ProgramFds::holds(Fd));
  EXPECT_FALSE(ProgramFds::holds(Fd + 1)); // not open: not marked
  EXPECT_EQ(Env2[1], nullptr);
  ProgramFds::lost(Fd);
  close(Fd);
}

} // namespace
