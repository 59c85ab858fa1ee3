//===- test/unit/FdLimitTest.cpp - The program's RLIMIT_NOFILE ------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// FdLimit in a forked child each (it changes the process's own limits): the
// program's limit kept apart from the host's, which stays at PrivateRoom or
// more; check() closing a descriptor past the soft limit.
//
//===----------------------------------------------------------------------===//

#include "k42/personality/FdLimit.h"

#include <gtest/gtest.h>

#include <cerrno>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace k42::personality;

namespace {

/// Runs \p Body in a forked child; its exit code (0: every step held; N:
/// step N failed).
template <typename Fn> int inChild(Fn Body) {
  pid_t Child = fork();
  if (Child == 0)
    _exit(Body());
  int Status = 0;
  if (waitpid(Child, &Status, 0) != Child || !WIFEXITED(Status))
    return -1;
  return WEXITSTATUS(Status);
}

rlimit hostLimit() {
  rlimit L{};
  getrlimit(RLIMIT_NOFILE, &L);
  return L;
}

TEST(FdLimitTest, AStartingLowLimitIsTheProgramsAndTheHostsIsRaised) {
  EXPECT_EQ(inChild([] {
              rlimit Low{100, hostLimit().rlim_max};
              if (Low.rlim_max < FdLimit::PrivateRoom)
                return 0; // nothing to raise to here
              if (setrlimit(RLIMIT_NOFILE, &Low) != 0)
                return 1;
              FdLimit::start(nullptr);
              uint64_t Program[2];
              FdLimit::get(Program);
              if (Program[0] != 100 || Program[1] != Low.rlim_max)
                return 2;
              if (hostLimit().rlim_cur < FdLimit::PrivateRoom)
                return 3;
              if (!FdLimit::differsFromHost() || FdLimit::soft() != 100)
                return 4;
              // Below the soft limit: kept; at or past it: closed, EMFILE.
              int Low5 = fcntl(0, F_DUPFD, 5);
              if (Low5 < 0 || FdLimit::check(Low5) != Low5)
                return 5;
              int High = fcntl(0, F_DUPFD, 200);
              if (High < 200 || FdLimit::check(High) != -EMFILE)
                return 6;
              if (fcntl(High, F_GETFD) != -1 || errno != EBADF)
                return 7;
              if (FdLimit::check(-EBADF) != -EBADF)
                return 8;
              return 0;
            }),
            0);
}

TEST(FdLimitTest, SetKeepsTheHostsLimitAboveThePrivateRange) {
  EXPECT_EQ(inChild([] {
              FdLimit::start(nullptr);
              if (FdLimit::set(65, 64) != -EINVAL)
                return 1;
              if (FdLimit::set(64, 64) != 0)
                return 2;
              uint64_t Program[2];
              FdLimit::get(Program);
              if (Program[0] != 64 || Program[1] != 64)
                return 3;
              rlimit Host = hostLimit();
              if (Host.rlim_cur < FdLimit::PrivateRoom ||
                  Host.rlim_max < FdLimit::PrivateRoom)
                return 4;
              if (FdLimit::set(32, 64) != 0 || FdLimit::soft() != 32)
                return 5;
              if (hostLimit().rlim_cur < FdLimit::PrivateRoom)
                return 6;
              return 0;
            }),
            0);
}

TEST(FdLimitTest, TheExecStatesLimitIsTakenWhenItFits) {
  EXPECT_EQ(inChild([] {
              uint64_t FromExec[2] = {50, 60};
              FdLimit::start(FromExec);
              uint64_t Program[2];
              FdLimit::get(Program);
              if (Program[0] != 50 || Program[1] != 60)
                return 1;
              return 0;
            }),
            0);
  // Soft above hard, or a hard limit past the host's: not taken.
  EXPECT_EQ(inChild([] {
              uint64_t Bad[2] = {70, 60};
              FdLimit::start(Bad);
              uint64_t Program[2];
              FdLimit::get(Program);
              return Program[0] == 70 ? 1 : 0;
            }),
            0);
}

} // namespace
