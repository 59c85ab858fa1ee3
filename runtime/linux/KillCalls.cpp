//===- runtime/linux/KillCalls.cpp - Signals between processes ------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// kill, tgkill and tkill. A signal to another process goes through the
/// Linux process server (FREENIX 2003, section 3.5), which finds the
/// targets in its tree (a process, a group, everyone), checks K42's
/// credentials with Linux's rules and delivers; a signal to the caller's
/// own process or one of its threads never leaves the process (a host
/// call on itself). With no process server, the host's.
///
//===----------------------------------------------------------------------===//

#include "k42/personality/Handlers.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/ProcessBridge.h"
#include "k42/personality/ProcessState.h"

#include <cerrno>
#include <cstdint>

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
