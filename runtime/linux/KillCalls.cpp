//===- runtime/linux/KillCalls.cpp - Signals between processes ------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// kill, tgkill, tkill, rt_sigqueueinfo and rt_tgsigqueueinfo. A signal to
/// another process goes through the
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
#include "k42/personality/ProcessBridge.h"
#include "k42/personality/ProcessState.h"
#include "k42/personality/UserMemory.h"

#include <cerrno>
#include <cstdint>

#include <signal.h>
#include <sys/syscall.h>

using namespace k42::personality;

long sys::kill(SyscallCall &Call) {
  int32_t Pid = int32_t(Call.Arg[0]), Signal = int32_t(Call.Arg[1]);
  if (Pid == ProcessState::pid())
    return hostCall(SYS_kill, Pid, Signal);
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
