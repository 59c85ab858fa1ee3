//===- runtime/linux/WaitCalls.cpp - wait4 and waitid ---------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A process's children are host children, so waiting is the host's (its
/// selectors, WNOHANG, WUNTRACED, WCONTINUED, __WALL, ECHILD and EINTR
/// are Linux's own); what a wait reaps is told to the Linux process server,
/// so its tree and zombies stay exact. The status goes through a copy of
/// the handler's own, so a null status still says whether the child was
/// reaped, and a bad pointer is EFAULT after the reap, as on Linux. A
/// tracer's wait passes on the stops the personality caused in its
/// tracees (TraceStops) and waits again.
///
//===----------------------------------------------------------------------===//

#include "k42/personality/Handlers.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/PipeCalls.h"
#include "k42/personality/ProcessBridge.h"
#include "k42/personality/TraceStops.h"
#include "k42/personality/UserMemory.h"

#include <cerrno>

#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

using namespace k42::personality;

long sys::wait4(SyscallCall &Call) {
  int Status = 0;
  long Child;
  do
    Child = hostCall(SYS_wait4, Call.Arg[0], reinterpret_cast<long>(&Status),
                     Call.Arg[2], Call.Arg[3]);
  while (Child > 0 && TraceStops::passedOn(Child, Status));
  if (Child <= 0)
    return Child;
  if (WIFEXITED(Status) || WIFSIGNALED(Status)) {
    (void)ProcessBridge::reaped(Child);
    PipeCalls::childEnded();
  }
  if (Call.Arg[1] && UserMemory::copyOut(reinterpret_cast<void *>(Call.Arg[1]),
                                         &Status, sizeof(Status)) < 0)
    return -EFAULT;
  return Child;
}

long sys::waitid(SyscallCall &Call) {
  siginfo_t Info{};
  long Done;
  // A stop left in place (WNOWAIT) is shown: passing it on would leave
  // the tracer a stop no later wait reports.
  do
    Done = hostCall(SYS_waitid, Call.Arg[0], Call.Arg[1],
                    reinterpret_cast<long>(&Info), Call.Arg[3], Call.Arg[4]);
  while (Done == 0 && Info.si_pid > 0 && Info.si_code == CLD_TRAPPED &&
         !(Call.Arg[3] & WNOWAIT) &&
         TraceStops::passedOn(Info.si_pid, (Info.si_status << 8) | 0x7f));
  if (Done < 0)
    return Done;
  bool Ended = Info.si_code == CLD_EXITED || Info.si_code == CLD_KILLED ||
               Info.si_code == CLD_DUMPED;
  if (Info.si_pid > 0 && Ended)
    PipeCalls::childEnded();
  if (Info.si_pid > 0 && Ended && !(Call.Arg[3] & WNOWAIT))
    (void)ProcessBridge::reaped(Info.si_pid);
  if (Call.Arg[2] && UserMemory::copyOut(reinterpret_cast<void *>(Call.Arg[2]),
                                         &Info, sizeof(Info)) < 0)
    return -EFAULT;
  return Done;
}
