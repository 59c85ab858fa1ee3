//===- runtime/linux/KillCalls.cpp - Signals between processes ------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// kill, tgkill, tkill, rt_sigqueueinfo, rt_tgsigqueueinfo and
/// pidfd_send_signal. A signal to another process goes through the
/// Linux process server (FREENIX 2003, section 3.5), which finds the
/// targets in its tree (a process, a group, everyone), checks K42's
/// credentials with Linux's rules and delivers; a signal to the caller's
/// own process or one of its threads never leaves the process (a host
/// call on itself). A queued signal's siginfo is the caller's, delivered
/// as it is (its si_pid and si_value reach the target); the server refuses
/// codes only the kernel or kill may set, as Linux does for other
/// processes. With no process server, the host's.
///
//===----------------------------------------------------------------------===//

#include "k42/personality/Handlers.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/HostFolder.h"
#include "k42/personality/ProcNames.h"
#include "k42/personality/ProcessBridge.h"
#include "k42/personality/ProcessState.h"
#include "k42/personality/SyscallTable.h"
#include "k42/personality/UserMemory.h"

#include <cerrno>
#include <cstdint>

#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>

using namespace k42::personality;

namespace {

/// The pid of the process pidfd \p Fd refers to, as this system's pid
/// namespace numbers it (the `Pid:` line of /proc/self/fdinfo, whose
/// /proc is the namespace's): 0 if \p Fd is no pidfd, or names a process
/// outside the namespace or one that has exited (the host's call then
/// answers EBADF, ESRCH or as it may).
long pidOfPidfd(long Fd) {
  if (Fd < 0)
    return 0;
  char Name[48] = "/proc/self/fdinfo/";
  *putDecimal(Name + 18, uint64_t(Fd)) = 0;
  char Text[512];
  long Got = readHostFile(Name, Text, sizeof(Text) - 1);
  if (Got <= 0)
    return 0;
  Text[Got] = 0;
  static constexpr char Key[] = "\nPid:\t";
  for (long I = 0; I + long(sizeof(Key)) - 1 <= Got; ++I) {
    long K = 0;
    while (Key[K] && Text[I + K] == Key[K])
      ++K;
    if (Key[K])
      continue;
    long Pid = 0;
    for (const char *C = Text + I + K; *C >= '0' && *C <= '9'; ++C)
      Pid = Pid * 10 + (*C - '0');
    return Pid;
  }
  return 0;
}

} // namespace

long sys::kill(SyscallCall &Call) {
  int32_t Pid = int32_t(Call.Arg[0]), Signal = int32_t(Call.Arg[1]);
  if (Pid == ProcessState::pid())
    return hostCall(SYS_kill, Pid, Signal);
  // One other process: the server decides (kill(pid, 0)'s check, the same
  // as any signal's but SIGCONT's), and the caller delivers through a
  // pidfd opened first, so the target is the process checked, and its
  // siginfo names the caller (si_pid, si_uid), as Linux's kill does; the
  // server's own delivery named the server. Init, SIGCONT (its session
  // rule) and groups are the server's to deliver.
  if (Pid > 1 && Signal > 0 && Signal != SIGCONT) {
    long Fd = hostCall(SYS_pidfd_open, Pid, 0);
    if (!isError(Fd)) {
      long Check = ProcessBridge::signal(Pid, 0);
      long Sent = Check == -ENOSYS ? hostCall(SYS_kill, Pid, Signal)
                  : Check < 0
                      ? Check
                      : hostCall(SYS_pidfd_send_signal, Fd, Signal, 0, 0);
      (void)hostCall(SYS_close, Fd);
      return Sent < 0 ? Sent : 0;
    }
  }
  long Sent = ProcessBridge::signal(Pid, Signal);
  if (Sent == -ENOSYS)
    return hostCall(SYS_kill, Pid, Signal);
  return Sent < 0 ? Sent : 0;
}

long sys::tgkill(SyscallCall &Call) {
  int32_t Pid = int32_t(Call.Arg[0]), Tid = int32_t(Call.Arg[1]),
          Signal = int32_t(Call.Arg[2]);
  if (Pid == ProcessState::pid())
    return hostCall(SYS_tgkill, Pid, Tid, Signal);
  long Sent = ProcessBridge::signalThread(Pid, Tid, Signal);
  if (Sent == -ENOSYS)
    return hostCall(SYS_tgkill, Pid, Tid, Signal);
  return Sent < 0 ? Sent : 0;
}

long sys::tkill(SyscallCall &Call) {
  int32_t Tid = int32_t(Call.Arg[0]), Signal = int32_t(Call.Arg[1]);
  if (Tid <= 0)
    return -EINVAL;
  // One of this process's threads: the signal stays here.
  long Own = hostCall(SYS_tgkill, ProcessState::pid(), Tid, Signal);
  if (Own != -ESRCH)
    return Own;
  // Another process's main thread (its tid is its pid).
  long Sent = ProcessBridge::signalThread(Tid, Tid, Signal);
  if (Sent == -ENOSYS)
    return hostCall(SYS_tkill, Tid, Signal);
  return Sent < 0 ? Sent : 0;
}

long sys::rt_sigqueueinfo(SyscallCall &Call) {
  int32_t Pid = int32_t(Call.Arg[0]), Signal = int32_t(Call.Arg[1]);
  siginfo_t Info;
  if (UserMemory::copyIn(&Info, reinterpret_cast<const void *>(Call.Arg[2]),
                         sizeof(Info)) < 0)
    return -EFAULT;
  auto Host = [&] {
    return hostCall(SYS_rt_sigqueueinfo, Pid, Signal,
                    reinterpret_cast<long>(&Info));
  };
  if (Pid == ProcessState::pid())
    return Host();
  long Sent = ProcessBridge::queueSignal(Pid, 0, Signal, &Info);
  if (Sent == -ENOSYS)
    return Host();
  return Sent < 0 ? Sent : 0;
}

long sys::rt_tgsigqueueinfo(SyscallCall &Call) {
  int32_t Pid = int32_t(Call.Arg[0]), Tid = int32_t(Call.Arg[1]),
          Signal = int32_t(Call.Arg[2]);
  siginfo_t Info;
  if (UserMemory::copyIn(&Info, reinterpret_cast<const void *>(Call.Arg[3]),
                         sizeof(Info)) < 0)
    return -EFAULT;
  if (Pid <= 0 || Tid <= 0)
    return -EINVAL;
  auto Host = [&] {
    return hostCall(SYS_rt_tgsigqueueinfo, Pid, Tid, Signal,
                    reinterpret_cast<long>(&Info));
  };
  if (Pid == ProcessState::pid())
    return Host();
  long Sent = ProcessBridge::queueSignal(Pid, Tid, Signal, &Info);
  if (Sent == -ENOSYS)
    return Host();
  return Sent < 0 ? Sent : 0;
}

long sys::pidfd_send_signal(SyscallCall &Call) {
  // Flags (a thread's or a group's pidfd semantics), a pidfd the
  // namespace does not number, or the caller itself: the host's.
  long Pid = Call.Arg[3] ? 0 : pidOfPidfd(Call.Arg[0]);
  if (Pid <= 0 || Pid == ProcessState::pid())
    return passToHost(Call);
  int32_t Signal = int32_t(Call.Arg[1]);
  long Sent;
  if (Call.Arg[2]) {
    siginfo_t Info;
    if (UserMemory::copyIn(&Info, reinterpret_cast<const void *>(Call.Arg[2]),
                           sizeof(Info)) < 0)
      return -EFAULT;
    if (Info.si_signo != Signal)
      return -EINVAL;
    Sent = ProcessBridge::queueSignal(Pid, 0, Signal, &Info);
  } else if (Pid > 1 && Signal > 0 && Signal != SIGCONT) {
    // As kill(): the server's check, the caller's delivery (through the
    // program's own pidfd), so the target's siginfo names the caller.
    Sent = ProcessBridge::signal(Pid, 0);
    if (Sent >= 0)
      Sent = passToHost(Call);
  } else {
    Sent = ProcessBridge::signal(Pid, Signal);
  }
  if (Sent == -ENOSYS)
    return passToHost(Call);
  return Sent < 0 ? Sent : 0;
}
