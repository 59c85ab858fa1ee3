//===- test/unit/DevFdTest.cpp - Descriptors reached by name --------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// DevFd's name logic: which paths name a descriptor of the process (and
/// which do not), the descriptor directory by the host's name for it, and
/// the getdents64 records of the personality's own descriptors dropped
/// (of this process's listing, those the program holds kept: ProgramFds).
///
//===----------------------------------------------------------------------===//

#include "k42/personality/DevFd.h"
#include "k42/personality/ProgramFds.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

using k42::personality::DevFd;
using k42::personality::ProgramFds;

namespace {

TEST(DevFdTest, NamesOfTheProcessDescriptors) {
  EXPECT_EQ(DevFd::number("/dev/fd/63", 500, true), 63);
  EXPECT_EQ(DevFd::number("/dev/fd/0", 500, false), 0);
  EXPECT_EQ(DevFd::number("/dev/stdin", 500, true), 0);
  EXPECT_EQ(DevFd::number("/dev/stdout", 500, true), 1);
  EXPECT_EQ(DevFd::number("/dev/stderr", 500, true), 2);
  EXPECT_EQ(DevFd::number("/proc/self/fd/7", 500, true), 7);
  EXPECT_EQ(DevFd::number("/proc/thread-self/fd/12", 500, true), 12);
  EXPECT_EQ(DevFd::number("/proc/500/fd/3", 500, true), 3);
  EXPECT_EQ(DevFd::number("/proc/500/task/501/fd/4", 500, true), 4);
}

TEST(DevFdTest, OtherNamesAreNotDescriptors) {
  // readlink of /dev/stdin reads that link, not the descriptor's.
  EXPECT_EQ(DevFd::number("/dev/stdin", 500, false), -1);
  EXPECT_EQ(DevFd::number("/proc/501/fd/3", 500, true), -1);
  EXPECT_EQ(DevFd::number("/proc/self/fd", 500, true), -1);
  EXPECT_EQ(DevFd::number("/proc/self/fd/", 500, true), -1);
  EXPECT_EQ(DevFd::number("/proc/self/fd/3/", 500, true), -1);
  EXPECT_EQ(DevFd::number("/proc/self/fd/03", 500, true), -1);
  EXPECT_EQ(DevFd::number("/proc/self/fd/3x", 500, true), -1);
  EXPECT_EQ(DevFd::number("/proc/self/fdinfo/3", 500, true), -1);
  EXPECT_EQ(DevFd::number("/proc/selfish/fd/3", 500, true), -1);
  EXPECT_EQ(DevFd::number("/dev/fd", 500, true), -1);
  EXPECT_EQ(DevFd::number("/dev/stdinx", 500, true), -1);
  EXPECT_EQ(DevFd::number("/tmp/fd/3", 500, true), -1);
  EXPECT_EQ(DevFd::number("/proc/500/task/x/fd/3", 500, true), -1);
  EXPECT_EQ(DevFd::number("/proc/self/fd/99999999999", 500, true), -1);
  // No pid known (-1): only the self names.
  EXPECT_EQ(DevFd::number("/proc/1/fd/3", -1, true), -1);
}

// A path through a descriptor's name: the descriptor and what follows its
// '/', which is walked from the folder it names.
TEST(DevFdTest, PathsThroughADescriptorName) {
  long Fd = -2;
  EXPECT_STREQ(DevFd::underFd("/dev/fd/7/deeper/f", 500, Fd), "deeper/f");
  EXPECT_EQ(Fd, 7);
  EXPECT_STREQ(DevFd::underFd("/proc/self/fd/12/..", 500, Fd), "..");
  EXPECT_EQ(Fd, 12);
  EXPECT_STREQ(DevFd::underFd("/proc/500/task/501/fd/3/x", 500, Fd), "x");
  EXPECT_EQ(Fd, 3);
  EXPECT_STREQ(DevFd::underFd("/proc/thread-self/fd/3/", 500, Fd), "");
  EXPECT_STREQ(DevFd::underFd("/proc/500/fd/0/a/b", 500, Fd), "a/b");
  EXPECT_EQ(Fd, 0);
  // The descriptor's own name, another process's, the aliases (links,
  // not folders), a number procfs does not spell: none.
  EXPECT_EQ(DevFd::underFd("/dev/fd/7", 500, Fd), nullptr);
  EXPECT_EQ(DevFd::underFd("/proc/501/fd/7/x", 500, Fd), nullptr);
  EXPECT_EQ(DevFd::underFd("/dev/stdin/x", 500, Fd), nullptr);
  EXPECT_EQ(DevFd::underFd("/dev/fd/07/x", 500, Fd), nullptr);
  EXPECT_EQ(DevFd::underFd("/dev/fd/7x/y", 500, Fd), nullptr);
  EXPECT_EQ(DevFd::underFd("/dev/fd//x", 500, Fd), nullptr);
  EXPECT_EQ(DevFd::underFd("/tmp/fd/7/x", 500, Fd), nullptr);
}

// The process's own cwd and root links: what follows the link, "" for the
// link itself; another process's, a longer name, the host's own: none.
TEST(DevFdTest, TheProcessOwnCwdAndRootLinks) {
  EXPECT_STREQ(DevFd::ownLink("/proc/self/cwd", 500, "cwd"), "");
  EXPECT_STREQ(DevFd::ownLink("/proc/self/cwd/a/b", 500, "cwd"), "/a/b");
  EXPECT_STREQ(DevFd::ownLink("/proc/thread-self/cwd/", 500, "cwd"), "/");
  EXPECT_STREQ(DevFd::ownLink("/proc/500/cwd/x", 500, "cwd"), "/x");
  EXPECT_STREQ(DevFd::ownLink("/proc/500/task/501/root", 500, "root"), "");
  EXPECT_STREQ(DevFd::ownLink("/proc/self/root/tmp", 500, "root"), "/tmp");
  EXPECT_EQ(DevFd::ownLink("/proc/501/cwd", 500, "cwd"), nullptr);
  EXPECT_EQ(DevFd::ownLink("/proc/self/cwdx", 500, "cwd"), nullptr);
  EXPECT_EQ(DevFd::ownLink("/proc/self/root", 500, "cwd"), nullptr);
  EXPECT_EQ(DevFd::ownLink("/proc/selfcwd", 500, "cwd"), nullptr);
  EXPECT_EQ(DevFd::ownLink("/proc/self", 500, "cwd"), nullptr);
  EXPECT_EQ(DevFd::ownLink("/tmp/self/cwd", 500, "cwd"), nullptr);
  EXPECT_EQ(DevFd::ownLink("/proc/0500/cwd", 500, "cwd"), nullptr);
}

TEST(DevFdTest, TheDescriptorDirectoryByItsHostName) {
  EXPECT_TRUE(DevFd::isFdDirectory("/proc/500/fd", 500));
  EXPECT_TRUE(DevFd::isFdDirectory("/proc/500/task/502/fd", 500));
  EXPECT_FALSE(DevFd::isFdDirectory("/proc/501/fd", 500));
  // Any process's (-1): another's listing hides the personality's too.
  EXPECT_TRUE(DevFd::isFdDirectory("/proc/501/fd", -1));
  EXPECT_TRUE(DevFd::isFdDirectory("/proc/501/task/7/fd", -1));
  EXPECT_FALSE(DevFd::isFdDirectory("/proc/501/fdinfo", -1));
  EXPECT_FALSE(DevFd::isFdDirectory("/proc/501/task/x/fd", -1));
  EXPECT_FALSE(DevFd::isFdDirectory("/proc/500/fdinfo", 500));
  EXPECT_FALSE(DevFd::isFdDirectory("/proc/500", 500));
  EXPECT_FALSE(DevFd::isFdDirectory("/tmp/500/fd", 500));
}

/// getdents64 records for \p Names, as the host writes them.
std::vector<char> records(const std::vector<std::string> &Names) {
  std::vector<char> Out;
  uint64_t Off = 0;
  for (const std::string &Name : Names) {
    size_t Size = (19 + Name.size() + 1 + 7) & ~size_t(7);
    size_t At = Out.size();
    Out.resize(At + Size, 0);
    uint64_t Ino = 100 + Off;
    ++Off;
    auto Reclen = uint16_t(Size);
    std::memcpy(&Out[At], &Ino, 8);
    std::memcpy(&Out[At + 8], &Off, 8);
    std::memcpy(&Out[At + 16], &Reclen, 2);
    Out[At + 18] = 10; // DT_LNK
    std::memcpy(&Out[At + 19], Name.c_str(), Name.size() + 1);
  }
  return Out;
}

std::vector<std::string> names(const char *Buffer, size_t Length) {
  std::vector<std::string> Out;
  for (size_t At = 0; At < Length;) {
    uint16_t Reclen;
    std::memcpy(&Reclen, Buffer + At + 16, 2);
    Out.emplace_back(Buffer + At + 19);
    At += Reclen;
  }
  return Out;
}

TEST(DevFdTest, ListingsHideThePersonalityDescriptors) {
  std::vector<char> R =
      records({".", "..", "0", "1", "2", "1000", "3", "1009", "999", "1012"});
  size_t Kept = DevFd::hidePrivate(R.data(), R.size());
  EXPECT_EQ(names(R.data(), Kept),
            (std::vector<std::string>{".", "..", "0", "1", "2", "3", "999"}));
  std::vector<char> Only = records({"1000", "1010"});
  EXPECT_EQ(DevFd::hidePrivate(Only.data(), Only.size()), 0u);
  std::vector<char> None = records({"0", "5"});
  EXPECT_EQ(DevFd::hidePrivate(None.data(), None.size()), None.size());
}

TEST(DevFdTest, AListingOfThisProcessKeepsTheProgramsHighOnes) {
  ProgramFds::started();
  ProgramFds::gained(1012);
  std::vector<char> Own = records({"3", "1000", "1012"});
  std::vector<char> Other = Own;
  // Of this process: 3 and the program's 1012; of another: 3 alone.
  size_t Kept = DevFd::hidePrivate(Own.data(), Own.size(), /*Own=*/true);
  EXPECT_EQ(names(Own.data(), Kept), (std::vector<std::string>{"3", "1012"}));
  size_t KeptOther = DevFd::hidePrivate(Other.data(), Other.size());
  EXPECT_EQ(names(Other.data(), KeptOther), (std::vector<std::string>{"3"}));
  ProgramFds::lost(1012);
}

} // namespace
