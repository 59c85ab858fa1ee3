//===- runtime/linux/ProcessCalls.cpp - Ids, sessions, groups, credentials ===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The identity calls, answered by K42: the process's pid from the
/// process itself; its parent, group and session from the Linux process
/// server (servers/linux-process), which owns the tree; its credentials
/// from the process's own copy (the supplementary groups too). The calls
/// that change the tree or the
/// credentials are checked by the server with Linux's rules and, once it
/// agrees, applied to the host too: the host's tty driver needs the host's
/// process groups (job control), and a program that drops privileges must
/// drop them for the calls that pass through. With no process server
/// (no system), these calls are the host's.
///
//===----------------------------------------------------------------------===//

#include "k42/personality/ExecOverlay.h"
#include "k42/personality/FsBridge.h"
#include "k42/personality/GateHeap.h"
#include "k42/personality/Handlers.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/PipeCalls.h"
#include "k42/personality/ProcessBridge.h"
#include "k42/personality/ProcessState.h"
#include "k42/personality/SyscallTable.h"
#include "k42/personality/UserMemory.h"

#include "LinuxProcess.h"

#include <atomic>
#include <cerrno>

#include <sys/syscall.h>

using namespace k42::personality;
using namespace k42::linuxproc;

namespace {

/// The process's credentials, read from the host once (they are equal:
/// every change goes to both) and dropped by every change.
struct CredentialCopy {
  std::atomic<bool> Valid{false};
  unsigned Uid[3];
  unsigned Gid[3];
};

CredentialCopy Creds;

const CredentialCopy &credentials() {
  if (!Creds.Valid.load(std::memory_order_acquire)) {
    unsigned U[3] = {0, 0, 0}, G[3] = {0, 0, 0};
    (void)hostCall(SYS_getresuid, reinterpret_cast<long>(&U[0]),
                   reinterpret_cast<long>(&U[1]),
                   reinterpret_cast<long>(&U[2]));
    (void)hostCall(SYS_getresgid, reinterpret_cast<long>(&G[0]),
                   reinterpret_cast<long>(&G[1]),
                   reinterpret_cast<long>(&G[2]));
    for (int I = 0; I < 3; ++I) {
      Creds.Uid[I] = U[I];
      Creds.Gid[I] = G[I];
    }
    Creds.Valid.store(true, std::memory_order_release);
  }
  return Creds;
}

/// A set*id call: the server checks, the host applies, the server
/// commits.
long setCredentials(CredentialCall Which, long Number, long A, long B, long C) {
  int32_t IA = int32_t(A), IB = int32_t(B), IC = int32_t(C);
  long Check = ProcessBridge::setCredentials(Which, IA, IB, IC, false);
  if (Check < 0 && Check != -ENOSYS)
    return Check;
  // While the process may still open the pipe server's /proc names.
  PipeCalls::pinRings();
  long Host = hostCall(Number, A, B, C);
  Creds.Valid.store(false, std::memory_order_release);
  if (Host >= 0)
    FsBridge::credentialsChanged();
  if (Host < 0 || Check == -ENOSYS)
    return Host;
  (void)ProcessBridge::setCredentials(Which, IA, IB, IC, true);
  return 0;
}

/// The most groups the process's copy holds; a process with more asks the
/// host every time.
constexpr long GroupCopyMax = 64;

/// The process's supplementary groups, read from the host when first asked
/// after a change. Busy is a try-lock: a handler that interrupts a
/// refill, or another thread meanwhile, reads the host instead of waiting.
struct GroupCopy {
  /// Bumped by every change.
  std::atomic<uint64_t> Version{0};
  /// The Version the copy was read at; ~0 for none.
  std::atomic<uint64_t> Filled{~uint64_t(0)};
  std::atomic_flag Busy = ATOMIC_FLAG_INIT;
  long Count = 0;
  uint32_t Gids[GroupCopyMax];
};

GroupCopy Groups;

/// The groups into \p Out: their count, -E2BIG when there are more than
/// the copy holds, or the host's error.
long readGroups(uint32_t (&Out)[GroupCopyMax]) {
  uint64_t Version = Groups.Version.load(std::memory_order_acquire);
  if (Groups.Filled.load(std::memory_order_acquire) == Version &&
      !Groups.Busy.test_and_set(std::memory_order_acquire)) {
    long Count = -1;
    if (Groups.Filled.load(std::memory_order_relaxed) == Version) {
      Count = Groups.Count;
      for (long I = 0; I < Count; ++I)
        Out[I] = Groups.Gids[I];
    }
    Groups.Busy.clear(std::memory_order_release);
    if (Count >= 0)
      return Count;
  }
  long Count =
      hostCall(SYS_getgroups, GroupCopyMax, reinterpret_cast<long>(Out));
  if (Count == -EINVAL)
    return -E2BIG;
  if (Count < 0)
    return Count;
  if (!Groups.Busy.test_and_set(std::memory_order_acquire)) {
    if (Groups.Version.load(std::memory_order_acquire) == Version) {
      Groups.Count = Count;
      for (long I = 0; I < Count; ++I)
        Groups.Gids[I] = Out[I];
      Groups.Filled.store(Version, std::memory_order_release);
    }
    Groups.Busy.clear(std::memory_order_release);
  }
  return Count;
}

/// \p Answer unless there is no server: then the host's \p Number.
long orHost(long Answer, long Number, long A = 0) {
  return Answer == -ENOSYS ? hostCall(Number, A) : Answer;
}

long getResIds(SyscallCall &Call, const unsigned (&Ids)[3]) {
  for (int I = 0; I < 3; ++I)
    if (UserMemory::copyOut(reinterpret_cast<void *>(Call.Arg[I]), &Ids[I],
                            sizeof(Ids[I])) < 0)
      return -EFAULT;
  return 0;
}

/// Whether process \p Pid (0: this one) joining existing group \p Group,
/// which the server allowed and the host refused, is already where the
/// host keeps that group's members. A process k42-exec started leads a
/// group and a session of its own in the server, but on the host it stays
/// in k42-exec's group, outside the system's pid namespace (its
/// terminal's job); so do its descendants. A job-control shell's children
/// joining its group were refused by the host (bash -c 'set -m': "child
/// setpgid (28 to 16): Operation not permitted" for each) though they are
/// in that host group already.
bool joinsItsHostGroup(int32_t Pid, int32_t Group) {
  if (Group == 0 || Group == (Pid ? Pid : int32_t(ProcessState::pid())))
    return false;
  long Mine = hostCall(SYS_getpgid, Pid);
  long Leaders = hostCall(SYS_getpgid, Group);
  return Mine >= 0 && Mine == Leaders;
}

} // namespace

long sys::getpid(SyscallCall &) { return ProcessState::pid(); }

long sys::exit_group(SyscallCall &Call) {
  // Its living children become the kernel's: the server must hear whose
  // they were while the host can still say so.
  ProcessBridge::reportChildren();
  return hostCall(SYS_exit_group, Call.Arg[0]);
}

long sys::getppid(SyscallCall &) {
  long Host = hostCall(SYS_getppid);
  // The parent the fork came from, still the host's parent, is alive and
  // so still the parent: no server call.
  long Parent = ProcessState::forkParent();
  if (Parent && Host == Parent)
    return Host;
  long Answer = ProcessBridge::getppid();
  return Answer < 0 ? Host : Answer;
}

long sys::gettid(SyscallCall &) { return hostCall(SYS_gettid); }

long sys::getpgid(SyscallCall &Call) {
  int32_t Pid = int32_t(Call.Arg[0]);
  if (Pid < 0)
    return -ESRCH;
  return orHost(ProcessBridge::getpgid(Pid), SYS_getpgid, Pid);
}

long sys::getpgrp(SyscallCall &) {
  return orHost(ProcessBridge::getpgid(0), SYS_getpgrp);
}

long sys::getsid(SyscallCall &Call) {
  int32_t Pid = int32_t(Call.Arg[0]);
  if (Pid < 0)
    return -ESRCH;
  return orHost(ProcessBridge::getsid(Pid), SYS_getsid, Pid);
}

long sys::setsid(SyscallCall &) {
  long Session = ProcessBridge::setsid();
  if (Session == -ENOSYS)
    return hostCall(SYS_setsid);
  if (Session < 0)
    return Session;
  long Host = hostCall(SYS_setsid);
  return Host < 0 ? Host : Session;
}

long sys::setpgid(SyscallCall &Call) {
  int32_t Pid = int32_t(Call.Arg[0]), Group = int32_t(Call.Arg[1]);
  long Check = ProcessBridge::setpgid(Pid, Group, false);
  if (Check < 0 && Check != -ENOSYS)
    return Check;
  // The host has the last word on what only it knows (a child that has
  // exec'd: EACCES; but an exec in user space it does not see), then the
  // server records what the host did.
  if (Pid != 0 && Pid != ProcessState::pid() && ExecOverlay::childExeced(Pid))
    return -EACCES;
  long Host = hostCall(SYS_setpgid, Pid, Group);
  if (Host == -EPERM && Check == 0 && joinsItsHostGroup(Pid, Group))
    Host = 0;
  if (Host < 0 || Check == -ENOSYS)
    return Host;
  (void)ProcessBridge::setpgid(Pid, Group, true);
  return 0;
}

long sys::getuid(SyscallCall &) { return credentials().Uid[0]; }
long sys::geteuid(SyscallCall &) { return credentials().Uid[1]; }
long sys::getgid(SyscallCall &) { return credentials().Gid[0]; }
long sys::getegid(SyscallCall &) { return credentials().Gid[1]; }

long sys::getresuid(SyscallCall &Call) {
  return getResIds(Call, credentials().Uid);
}

long sys::getresgid(SyscallCall &Call) {
  return getResIds(Call, credentials().Gid);
}

long sys::setuid(SyscallCall &Call) {
  return setCredentials(CallSetuid, SYS_setuid, Call.Arg[0], -1, -1);
}

long sys::setgid(SyscallCall &Call) {
  return setCredentials(CallSetgid, SYS_setgid, Call.Arg[0], -1, -1);
}

long sys::setreuid(SyscallCall &Call) {
  return setCredentials(CallSetreuid, SYS_setreuid, Call.Arg[0], Call.Arg[1],
                        -1);
}

long sys::setregid(SyscallCall &Call) {
  return setCredentials(CallSetregid, SYS_setregid, Call.Arg[0], Call.Arg[1],
                        -1);
}

long sys::setresuid(SyscallCall &Call) {
  return setCredentials(CallSetresuid, SYS_setresuid, Call.Arg[0], Call.Arg[1],
                        Call.Arg[2]);
}

long sys::setresgid(SyscallCall &Call) {
  return setCredentials(CallSetresgid, SYS_setresgid, Call.Arg[0], Call.Arg[1],
                        Call.Arg[2]);
}

long sys::getgroups(SyscallCall &Call) {
  int32_t Size = int32_t(Call.Arg[0]);
  if (Size < 0)
    return -EINVAL;
  uint32_t Gids[GroupCopyMax];
  long Count = readGroups(Gids);
  if (Count == -E2BIG)
    return passToHost(Call);
  if (Count < 0 || Size == 0)
    return Count;
  if (Count > Size)
    return -EINVAL;
  if (UserMemory::copyOut(reinterpret_cast<void *>(Call.Arg[1]), Gids,
                          Count * sizeof(uint32_t)) < 0)
    return -EFAULT;
  return Count;
}

long sys::setgroups(SyscallCall &Call) {
  int32_t Count = int32_t(Call.Arg[0]);
  // Linux's order: EPERM, then the count's EINVAL (the server's check),
  // then EFAULT and an invalid id while the list is read.
  long Check = ProcessBridge::setGroups(Count, nullptr, false);
  if (Check == -ENOSYS) {
    Groups.Version.fetch_add(1, std::memory_order_acq_rel);
    long Host = passToHost(Call);
    Groups.Version.fetch_add(1, std::memory_order_acq_rel);
    return Host;
  }
  if (Check < 0)
    return Check;
  size_t Bytes = size_t(Count) * sizeof(uint32_t);
  uint32_t Small[GroupCopyMax];
  uint32_t *List = Count <= GroupCopyMax
                       ? Small
                       : static_cast<uint32_t *>(GateHeap::allocate(Bytes));
  if (!List)
    return -ENOMEM;
  long Result = 0;
  if (UserMemory::copyIn(List, reinterpret_cast<const void *>(Call.Arg[1]),
                         Bytes) < 0)
    Result = -EFAULT;
  for (int32_t I = 0; Result == 0 && I < Count; ++I)
    if (List[I] == UINT32_MAX)
      Result = -EINVAL; // (gid_t)-1 is no group.
  if (Result == 0) {
    // Before and after the change: another thread's refill that read the
    // host in between is never kept.
    Groups.Version.fetch_add(1, std::memory_order_acq_rel);
    Result = hostCall(SYS_setgroups, Count, reinterpret_cast<long>(List));
    Groups.Version.fetch_add(1, std::memory_order_acq_rel);
  }
  if (Result == 0)
    (void)ProcessBridge::setGroups(Count, List, true);
  if (List != Small)
    GateHeap::release(List);
  return Result;
}

long sys::k42_null(SyscallCall &) { return K42NullMagic; }
