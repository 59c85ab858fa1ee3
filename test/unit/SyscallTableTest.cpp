//===- test/unit/SyscallTableTest.cpp - The transfer table ----------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The system-call transfer table made from syscalls.def: every entry where
/// the file puts it, the three dispositions, numbers without an entry,
/// errors as the kernel gives them, bad arguments answered and never
/// crashing, and one trapped call in a child process.
///
//===----------------------------------------------------------------------===//

#include "k42/personality/SyscallTable.h"
#include "k42/personality/DirectBranch.h"
#include "k42/personality/RefusalLog.h"
#include "k42/personality/SigsysState.h"
#include "k42/personality/TrapReflection.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace k42::personality;

namespace {

class SyscallTableTest : public ::testing::Test {
protected:
  // Refusals are counted, not printed, in this process.
  static void SetUpTestSuite() { RefusalLog::configure("off"); }
};

TEST_F(SyscallTableTest, EveryEntryOfTheDefFileIsInTheTable) {
  int Entries = 0, K42 = 0, Host = 0, NoSys = 0;
#define K42_KIND_K42 Disposition::K42
#define K42_KIND_HOST Disposition::Host
#define K42_KIND_NOSYS(Errno) Disposition::NoSys
#define K42_SYSCALL(Nr, CallName, ArgCount, Disp)                              \
  {                                                                            \
    const SyscallInfo &Info = SyscallTable::info(Nr);                          \
    ASSERT_STREQ(Info.Name, #CallName);                                        \
    EXPECT_EQ(Info.Args, ArgCount) << #CallName;                               \
    EXPECT_EQ(Info.Kind, K42_KIND_##Disp) << #CallName;                        \
    ++Entries;                                                                 \
    K42 += Info.Kind == Disposition::K42;                                      \
    Host += Info.Kind == Disposition::Host;                                    \
    NoSys += Info.Kind == Disposition::NoSys;                                  \
  }
#include "syscalls.def"
#undef K42_SYSCALL
  EXPECT_EQ(Entries, K42 + Host + NoSys);
  // Memory, time, sockets and the like stay the host's.
  EXPECT_GT(Host, 150);
  // The calls K42 serves (process, signal, file and descriptor calls), and
  // io_uring's refusals.
  EXPECT_GE(K42, 60);
  EXPECT_GE(NoSys, 3);
}

TEST_F(SyscallTableTest, PathAndDescriptorCallsAreK42s) {
  // No K42 path or descriptor reaches the host: the calls that take one
  // are the personality's (glibc-sysdeps/check-file-calls.py has the list).
  for (long Nr : {SYS_utimensat, SYS_fchownat, SYS_linkat, SYS_statfs,
                  SYS_fstatfs, SYS_flock, SYS_fallocate, SYS_mknodat,
                  SYS_setxattr, SYS_preadv2, SYS_openat2, SYS_close_range})
    EXPECT_EQ(SyscallTable::info(Nr).Kind, Disposition::K42)
        << SyscallTable::info(Nr).Name;
}

TEST_F(SyscallTableTest, NumbersAreTheKernels) {
  EXPECT_STREQ(SyscallTable::info(SYS_read).Name, "read");
  EXPECT_STREQ(SyscallTable::info(SYS_getppid).Name, "getppid");
  EXPECT_STREQ(SyscallTable::info(SYS_clone3).Name, "clone3");
  EXPECT_STREQ(SyscallTable::info(SYS_set_mempolicy_home_node).Name,
               "set_mempolicy_home_node");
  EXPECT_STREQ(SyscallTable::info(K42FirstPrivate).Name, "k42_null");
}

TEST_F(SyscallTableTest, Dispositions) {
  EXPECT_EQ(SyscallTable::info(SYS_read).Kind, Disposition::K42);
  EXPECT_EQ(SyscallTable::info(SYS_openat).Kind, Disposition::K42);
  EXPECT_EQ(SyscallTable::info(SYS_mmap).Kind, Disposition::K42);
  EXPECT_EQ(SyscallTable::info(SYS_munmap).Kind, Disposition::Host);
  EXPECT_EQ(SyscallTable::info(SYS_pipe2).Kind, Disposition::K42);
  EXPECT_EQ(SyscallTable::info(SYS_epoll_wait).Kind, Disposition::K42);
  EXPECT_EQ(SyscallTable::info(SYS_socket).Kind, Disposition::Host);
  EXPECT_EQ(SyscallTable::info(SYS_getpid).Kind, Disposition::K42);
  EXPECT_EQ(SyscallTable::info(SYS_gettid).Kind, Disposition::K42);
  EXPECT_EQ(SyscallTable::info(SYS_clone).Kind, Disposition::K42);
  for (long Number :
       {SYS_io_uring_setup, SYS_io_uring_enter, SYS_io_uring_register}) {
    EXPECT_EQ(SyscallTable::info(Number).Kind, Disposition::NoSys);
    EXPECT_EQ(SyscallTable::info(Number).Errno, ENOSYS);
  }
  EXPECT_EQ(SyscallTable::info(SYS_mmap).Errno, 0);
}

TEST_F(SyscallTableTest, HandlersAreSharedOnlyByHostAndRefusedCalls) {
  // Two levels (SyscallTable.h): every host entry reaches passToHost, and
  // each K42 entry a handler no other number has.
  EXPECT_EQ(SyscallTable::Handlers[SyscallTable::HandlerIndex[SYS_munmap]],
            &passToHost);
  EXPECT_EQ(SyscallTable::HandlerIndex[SYS_munmap],
            SyscallTable::HandlerIndex[SYS_socket]);
  EXPECT_EQ(SyscallTable::HandlerIndex[SYS_io_uring_setup],
            SyscallTable::HandlerIndex[SYS_io_uring_enter]);
  EXPECT_EQ(SyscallTable::HandlerIndex[335], 0);
  std::vector<int> Users(SyscallTable::NumHandlers);
  for (long N = 0; N < TableSize; ++N) {
    ASSERT_LT(SyscallTable::HandlerIndex[N], SyscallTable::NumHandlers);
    if (SyscallTable::info(N).Kind == Disposition::K42)
      ++Users[SyscallTable::HandlerIndex[N]];
  }
  for (size_t H = 0; H < SyscallTable::NumHandlers; ++H)
    EXPECT_LE(Users[H], 1) << H;
  EXPECT_EQ(SyscallTable::info(SYS_getpid).Name, std::string("getpid"));
  EXPECT_EQ(directCall(SYS_getpid), getpid());
}

TEST_F(SyscallTableTest, NumbersWithoutAnEntry) {
  for (long Number :
       {335L, 400L, 423L, 512L, 1023L, TableSize, 100000L, -1L, 0x7fffffffL}) {
    EXPECT_EQ(SyscallTable::info(Number).Kind, Disposition::Unknown) << Number;
    EXPECT_EQ(SyscallTable::info(Number).Name, nullptr) << Number;
    EXPECT_EQ(directCall(Number), -ENOSYS) << Number;
  }
}

TEST_F(SyscallTableTest, RefusalsAreLoggedOncePerNumber) {
  unsigned long Before = RefusalLog::count();
  EXPECT_EQ(directCall(SYS_io_uring_setup, 1, 0), -ENOSYS);
  EXPECT_EQ(directCall(SYS_io_uring_setup, 1, 0), -ENOSYS);
  EXPECT_EQ(directCall(377), -ENOSYS);
  EXPECT_EQ(directCall(377), -ENOSYS);
  EXPECT_EQ(RefusalLog::count(), Before + 2);
}

TEST_F(SyscallTableTest, K42Calls) {
  EXPECT_EQ(directCall(K42FirstPrivate), K42NullMagic);
  EXPECT_EQ(directCall(SYS_getpid), ::getpid());
  EXPECT_EQ(directCall(SYS_getppid), ::getppid());
  EXPECT_EQ(directCall(SYS_gettid), ::gettid());
  // clone3 is quietly refused so that glibc falls back to clone.
  EXPECT_EQ(directCall(SYS_clone3, 0, 0), -ENOSYS);
  // Only the low 32 bits of a number count, as in the kernel.
  EXPECT_EQ(directCall(K42FirstPrivate | (1L << 40)), K42NullMagic);
  // The exported entry a K42-targeted glibc calls.
  EXPECT_EQ(k42_syscall(K42FirstPrivate, 0, 0, 0, 0, 0, 0), K42NullMagic);
}

TEST_F(SyscallTableTest, HostCallsGiveTheKernelsErrors) {
  EXPECT_EQ(directCall(SYS_close, -1), -EBADF);
  EXPECT_EQ(directCall(SYS_read, 1 << 20, 0, 0), -EBADF);
  EXPECT_EQ(directCall(SYS_openat, AT_FDCWD,
                       reinterpret_cast<long>("/no/such/file"), O_RDONLY),
            -ENOENT);
  int Pipe[2];
  ASSERT_EQ(pipe(Pipe), 0);
  EXPECT_EQ(directCall(SYS_write, Pipe[1], reinterpret_cast<long>("k42"), 3),
            3);
  char Buffer[4] = {};
  EXPECT_EQ(directCall(SYS_read, Pipe[0], reinterpret_cast<long>(Buffer), 3),
            3);
  EXPECT_STREQ(Buffer, "k42");
  close(Pipe[0]);
  close(Pipe[1]);
}

TEST_F(SyscallTableTest, BadArgumentsAreErrorsNotCrashes) {
  long Bad = 8; // Never mapped.
  EXPECT_EQ(directCall(SYS_rt_sigaction, SIGUSR1, Bad, 0, 8), -EFAULT);
  EXPECT_EQ(directCall(SYS_rt_sigaction, SIGSYS, Bad, 0, 8), -EFAULT);
  EXPECT_EQ(directCall(SYS_rt_sigaction, SIGSYS, 0, Bad, 8), -EFAULT);
  EXPECT_EQ(directCall(SYS_rt_sigaction, SIGUSR1, 0, 0, 3), -EINVAL);
  EXPECT_EQ(directCall(SYS_rt_sigprocmask, SIG_BLOCK, Bad, 0, 8), -EFAULT);
  EXPECT_EQ(directCall(SYS_rt_sigprocmask, SIG_BLOCK, 0, 0, 3), -EINVAL);
  EXPECT_EQ(directCall(SYS_execve, Bad, 0, 0), -EFAULT);
  // A clone with a new stack needs a trap's registers.
  EXPECT_EQ(directCall(SYS_clone, CLONE_VM | CLONE_THREAD | CLONE_SIGHAND, Bad,
                       0, 0, 0),
            -EINVAL);
  // rt_sigreturn only makes sense from a trap.
  EXPECT_EQ(directCall(SYS_rt_sigreturn), -EINVAL);
  // The signal waits check as Linux does before they wait.
  EXPECT_EQ(directCall(SYS_rt_sigsuspend, Bad, 8), -EFAULT);
  EXPECT_EQ(directCall(SYS_rt_sigsuspend, Bad, 4), -EINVAL);
  EXPECT_EQ(directCall(SYS_rt_sigtimedwait, Bad, 0, 0, 8), -EFAULT);
  EXPECT_EQ(directCall(SYS_rt_sigtimedwait, Bad, 0, 0, 16), -EINVAL);
  EXPECT_EQ(directCall(SYS_rt_sigpending, Bad, 8), -EFAULT);
  EXPECT_EQ(directCall(SYS_rt_sigpending, Bad, 9), -EINVAL);
  EXPECT_EQ(directCall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, Bad), -EFAULT);
  EXPECT_EQ(directCall(SYS_getgroups, -1, 0), -EINVAL);
}

TEST_F(SyscallTableTest, SigsysIsNeverPendingNorWaitedFor) {
  // The program's pending signals through the table; a wait on a set
  // holding SIGSYS takes only the program's signals.
  sigset_t Usr1, Saved;
  sigemptyset(&Usr1);
  sigaddset(&Usr1, SIGUSR1);
  ASSERT_EQ(sigprocmask(SIG_BLOCK, &Usr1, &Saved), 0);
  ASSERT_EQ(raise(SIGUSR1), 0);
  uint64_t Pending = 0;
  ASSERT_EQ(directCall(SYS_rt_sigpending, reinterpret_cast<long>(&Pending), 8),
            0);
  EXPECT_EQ(Pending & (uint64_t(1) << (SIGUSR1 - 1)), uint64_t(1)
                                                          << (SIGUSR1 - 1));
  EXPECT_EQ(Pending & SigsysBit, 0u);
  // A set of SIGUSR1 and SIGSYS takes the pending SIGUSR1.
  uint64_t Set = (uint64_t(1) << (SIGUSR1 - 1)) | SigsysBit;
  struct timespec Zero = {0, 0};
  EXPECT_EQ(directCall(SYS_rt_sigtimedwait, reinterpret_cast<long>(&Set), 0,
                       reinterpret_cast<long>(&Zero), 8),
            SIGUSR1);
  uint64_t Sigsys = SigsysBit;
  EXPECT_EQ(directCall(SYS_rt_sigtimedwait, reinterpret_cast<long>(&Sigsys), 0,
                       reinterpret_cast<long>(&Zero), 8),
            -EAGAIN);
  ASSERT_EQ(sigprocmask(SIG_SETMASK, &Saved, nullptr), 0);
}

TEST_F(SyscallTableTest, SigsysIsVirtualAndNeverBlocked) {
  struct sigaction Host;
  ASSERT_EQ(sigaction(SIGSYS, nullptr, &Host), 0);
  // The program's SIGSYS action is kept by the personality, not the host.
  uint64_t Act[4] = {reinterpret_cast<uint64_t>(SIG_IGN), 0, 0, 0};
  uint64_t Old[4] = {1, 1, 1, 1};
  ASSERT_EQ(
      directCall(SYS_rt_sigaction, SIGSYS, reinterpret_cast<long>(Act), 0, 8),
      0);
  ASSERT_EQ(
      directCall(SYS_rt_sigaction, SIGSYS, 0, reinterpret_cast<long>(Old), 8),
      0);
  EXPECT_EQ(Old[0], reinterpret_cast<uint64_t>(SIG_IGN));
  struct sigaction Now;
  ASSERT_EQ(sigaction(SIGSYS, nullptr, &Now), 0);
  EXPECT_EQ(Now.sa_handler, Host.sa_handler);
  uint64_t Default[4] = {};
  ASSERT_EQ(directCall(SYS_rt_sigaction, SIGSYS,
                       reinterpret_cast<long>(Default), 0, 8),
            0);
  // Blocking everything leaves SIGSYS deliverable.
  sigset_t All, Saved, After;
  sigfillset(&All);
  ASSERT_EQ(directCall(SYS_rt_sigprocmask, SIG_BLOCK,
                       reinterpret_cast<long>(&All),
                       reinterpret_cast<long>(&Saved), 8),
            0);
  ASSERT_EQ(sigprocmask(SIG_SETMASK, nullptr, &After), 0);
  EXPECT_TRUE(sigismember(&After, SIGUSR1));
  EXPECT_FALSE(sigismember(&After, SIGSYS));
  ASSERT_EQ(sigprocmask(SIG_SETMASK, &Saved, nullptr), 0);
}

/// An inline system call, trapped when the thread is armed.
long rawSyscall(long Number) {
  long Result;
  asm volatile("syscall" : "=a"(Result) : "a"(Number) : "rcx", "r11", "memory");
  return Result;
}

TEST_F(SyscallTableTest, TrappedCallsReachTheTable) {
  // In a child, so that this process is never armed.
  pid_t Child = fork();
  ASSERT_GE(Child, 0);
  if (Child == 0) {
    int Failures = 0;
    Failures += rawSyscall(K42FirstPrivate) != -ENOSYS;
    Failures += TrapReflection::install() != 0;
    Failures += TrapReflection::armThread() != 0;
    unsigned long Before = TrapReflection::reflected();
    Failures += rawSyscall(K42FirstPrivate) != K42NullMagic;
    Failures += rawSyscall(SYS_getppid) != ::getppid();
    Failures += rawSyscall(SYS_io_uring_setup) != -ENOSYS;
    Failures += TrapReflection::reflected() < Before + 3;
    Failures += TrapReflection::disarmThread() != 0;
    Failures += rawSyscall(K42FirstPrivate) != -ENOSYS;
    _exit(Failures);
  }
  int Status = 0;
  ASSERT_EQ(waitpid(Child, &Status, 0), Child);
  ASSERT_TRUE(WIFEXITED(Status)) << Status;
  EXPECT_EQ(WEXITSTATUS(Status), 0);
}

} // namespace
