//===- runtime/linux/FdLimit.cpp - The program's RLIMIT_NOFILE ------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/FdLimit.h"

#include "k42/personality/ForkLocks.h"
#include "k42/personality/GateLock.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/ProgramFds.h"
#include "k42/personality/StaleFds.h"
#include "k42/personality/UserMemory.h"

#include <cerrno>

#include <linux/capability.h>
#include <sys/resource.h>
#include <sys/syscall.h>

using namespace k42::personality;

namespace {

/// The program's limit and the host's as last set; Known once start() ran
/// (before it, calls answer the host's own limit).
struct Limits {
  uint64_t Soft = 0;
  uint64_t Hard = 0;
  uint64_t HostSoft = 0;
  uint64_t HostHard = 0;
  bool Known = false;
  GateLock Lock;
};
Limits State;
K42_HELD_ACROSS_FORK(State.Lock);

long hostLimit(const rlimit *New, rlimit *Old) {
  return hostCall(SYS_prlimit64, 0, RLIMIT_NOFILE, reinterpret_cast<long>(New),
                  reinterpret_cast<long>(Old));
}

/// Another process may have set this one's limit (prlimit --pid): the
/// host's then differs from what the personality left it at, and the
/// program's becomes that, the host's soft limit raised again for the
/// personality's own descriptors. Whether it had. Lock held.
rlimit withPrivateRoom(rlimit Host);
bool followHost() {
  rlimit Host{};
  if (hostLimit(nullptr, &Host) != 0 ||
      (Host.rlim_cur == State.HostSoft && Host.rlim_max == State.HostHard))
    return false;
  State.Hard = Host.rlim_max;
  __atomic_store_n(&State.Soft, uint64_t(Host.rlim_cur), __ATOMIC_RELAXED);
  Host = withPrivateRoom(Host);
  State.HostSoft = Host.rlim_cur;
  State.HostHard = Host.rlim_max;
  return true;
}

uint64_t atLeast(uint64_t A, uint64_t B) { return A > B ? A : B; }
uint64_t atMost(uint64_t A, uint64_t B) { return A < B ? A : B; }

/// The host's limit \p Host raised, as far as the process may, to leave
/// room for the personality's own descriptors (PrivateRoom): what the
/// host then has.
rlimit withPrivateRoom(rlimit Host) {
  constexpr uint64_t Room = FdLimit::PrivateRoom;
  if (Host.rlim_cur >= Room)
    return Host;
  rlimit Raised{Room, atLeast(Host.rlim_max, Room)};
  if (hostLimit(&Raised, nullptr) != 0) {
    // No CAP_SYS_RESOURCE: as far as the hard limit goes.
    Raised = {atMost(Room, Host.rlim_max), Host.rlim_max};
    if (hostLimit(&Raised, nullptr) != 0)
      Raised = Host;
  }
  return Raised;
}
} // namespace

void FdLimit::start(const uint64_t *FromExec) {
  rlimit Host{};
  if (hostLimit(nullptr, &Host) != 0)
    return; // the host's limit stays the program's
  GateLockGuard Guard(State.Lock);
  State.Soft = Host.rlim_cur;
  State.Hard = Host.rlim_max;
  // Written by this process's previous program: checked all the same.
  if (FromExec && FromExec[0] <= FromExec[1] && FromExec[1] <= Host.rlim_max) {
    State.Soft = FromExec[0];
    State.Hard = FromExec[1];
  }
  Host = withPrivateRoom(Host);
  State.HostSoft = Host.rlim_cur;
  State.HostHard = Host.rlim_max;
  __atomic_store_n(&State.Known, true, __ATOMIC_RELEASE);
}

uint64_t FdLimit::soft() {
  if (!__atomic_load_n(&State.Known, __ATOMIC_ACQUIRE))
    return RLIM_INFINITY; // the host's limit is the only one
  return __atomic_load_n(&State.Soft, __ATOMIC_RELAXED);
}

void FdLimit::get(uint64_t *Out) {
  if (!__atomic_load_n(&State.Known, __ATOMIC_ACQUIRE)) {
    rlimit Host{RLIM_INFINITY, RLIM_INFINITY};
    (void)hostLimit(nullptr, &Host);
    Out[0] = Host.rlim_cur;
    Out[1] = Host.rlim_max;
    return;
  }
  GateLockGuard Guard(State.Lock);
  (void)followHost();
  Out[0] = State.Soft;
  Out[1] = State.Hard;
}

long FdLimit::copyHigh(long Fd, long Command, long From) {
  long High = hostCall(SYS_fcntl, Fd, Command, From);
  if (High != -EINVAL || !__atomic_load_n(&State.Known, __ATOMIC_ACQUIRE))
    return High;
  bool Moved;
  {
    GateLockGuard Guard(State.Lock);
    Moved = followHost();
  }
  if (Moved)
    High = hostCall(SYS_fcntl, Fd, Command, From);
  // Still no room from 1000 up (a hard limit below it that only
  // CAP_SYS_RESOURCE could raise): no descriptor is free for the call.
  return High == -EINVAL ? -EMFILE : High;
}

long FdLimit::set(uint64_t Soft, uint64_t Hard) {
  if (Soft > Hard)
    return -EINVAL;
  if (!__atomic_load_n(&State.Known, __ATOMIC_ACQUIRE)) {
    rlimit New{Soft, Hard};
    return hostLimit(&New, nullptr);
  }
  GateLockGuard Guard(State.Lock);
  // The host's hard limit is at least the program's: a raise past the
  // host's is the host's to allow (CAP_SYS_RESOURCE, fs.nr_open: EPERM);
  // one within it, above the program's own, is checked here as Linux
  // would.
  if (Hard > State.Hard && Hard <= State.HostHard &&
      !hasCapability(CAP_SYS_RESOURCE))
    return -EPERM;
  // The host's: never below what the personality's own descriptors need.
  rlimit Host{0, atLeast(Hard, atMost(State.HostHard, PrivateRoom))};
  Host.rlim_cur = atLeast(Soft, atMost(Host.rlim_max, PrivateRoom));
  if (long E = hostLimit(&Host, nullptr); E != 0)
    return E;
  State.HostSoft = Host.rlim_cur;
  State.HostHard = Host.rlim_max;
  State.Hard = Hard;
  __atomic_store_n(&State.Soft, Soft, __ATOMIC_RELAXED);
  return 0;
}

bool FdLimit::differsFromHost() {
  if (!__atomic_load_n(&State.Known, __ATOMIC_ACQUIRE))
    return false;
  GateLockGuard Guard(State.Lock);
  return State.Soft != State.HostSoft || State.Hard != State.HostHard;
}

long FdLimit::check(long Result) {
  if (Result < 0)
    return Result;
  StaleFds::drop(Result); // a new number: never another's closed one
  if (uint64_t(Result) < soft())
    return ProgramFds::place(Result); // never one of the exec's numbers
  (void)hostCall(SYS_close, Result);
  return -EMFILE;
}

long FdLimit::checkPair(long User) {
  int Fds[2];
  if (UserMemory::copyIn(Fds, reinterpret_cast<void *>(User), sizeof(Fds)) < 0)
    return 0; // the caller's memory changed under it: nothing to judge
  StaleFds::drop(Fds[0]);
  StaleFds::drop(Fds[1]);
  uint64_t Limit = soft();
  if (Fds[0] >= 0 && uint64_t(Fds[0]) < Limit && Fds[1] >= 0 &&
      uint64_t(Fds[1]) < Limit) {
    // Off the exec's numbers (ProgramFds::place), told to the caller.
    int Placed[2] = {int(ProgramFds::place(Fds[0])),
                     int(ProgramFds::place(Fds[1]))};
    if ((Placed[0] != Fds[0] || Placed[1] != Fds[1]) &&
        UserMemory::copyOut(reinterpret_cast<void *>(User), Placed,
                            sizeof(Placed)) < 0)
      return -EFAULT;
    return 0;
  }
  (void)hostCall(SYS_close, Fds[0]);
  (void)hostCall(SYS_close, Fds[1]);
  return -EMFILE;
}
