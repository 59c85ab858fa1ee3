//===- test/unit/TestChild.h - A child that dies with its test -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Children a unit test forks to stand for processes (a caller, its
/// children): they wait for ever until the test kills them. A failed
/// ASSERT returns from the test before its kill, and a crash ends the
/// test's process; a child left waiting then holds the test's output pipe
/// open, and lit waits for ever for its end (its time limit ends only the
/// test's own process tree, which an orphan has left). So such a child is
/// forked with forkTestChild() (it dies with its parent) and held by a
/// TestChild (killed and reaped when the test returns, however it does).
///
//===----------------------------------------------------------------------===//

#ifndef K42_TEST_UNIT_TESTCHILD_H
#define K42_TEST_UNIT_TESTCHILD_H

#include <csignal>

#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace k42test {

/// fork(), and in the child a SIGKILL when its parent ends (a test's child
/// killed with the test, a grandchild with the child). A child whose
/// parent ended before it could ask exits at once.
inline pid_t forkTestChild() {
  pid_t Parent = getpid();
  pid_t Pid = fork();
  if (Pid == 0 &&
      (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != Parent))
    _exit(127);
  return Pid;
}

/// Kills (SIGKILL) and reaps a test's child when the test returns, an
/// ASSERT's early return included; a grandchild (not this process's to
/// reap) is only killed.
class TestChild {
public:
  explicit TestChild(pid_t Pid, bool Reap = true) : Pid(Pid), Reap(Reap) {}
  TestChild(const TestChild &) = delete;
  TestChild &operator=(const TestChild &) = delete;
  ~TestChild() {
    if (Pid <= 0)
      return;
    (void)kill(Pid, SIGKILL);
    if (Reap)
      (void)waitpid(Pid, nullptr, 0);
  }

  /// The child is the test's to wait for now (it waits for its status).
  void release() { Pid = -1; }

private:
  pid_t Pid;
  bool Reap;
};

} // namespace k42test

#endif // K42_TEST_UNIT_TESTCHILD_H
