//===- runtime/linux/LimitCalls.cpp - getrlimit, setrlimit, prlimit64 -----===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// RLIMIT_NOFILE of the process itself is the program's own (FdLimit): the
/// host's stays high enough for the personality's descriptors at 1000 and
/// up, whatever the program sets. So is RLIMIT_AS (AsLimit): the host's
/// leaves room for the personality's channels. Other resources, and other
/// processes' limits, are the host's; a change of RLIMIT_FSIZE is told to
/// OwnMemfd, which keeps the limit it last read.
///
//===----------------------------------------------------------------------===//

#include "k42/personality/AsLimit.h"
#include "k42/personality/FdLimit.h"
#include "k42/personality/Handlers.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/OwnMemfd.h"
#include "k42/personality/ProcessState.h"
#include "k42/personality/SyscallTable.h"
#include "k42/personality/UserMemory.h"

#include <cerrno>
#include <cstdint>

#include <sys/resource.h>
#include <sys/syscall.h>

using namespace k42::personality;

namespace {

/// Whether the personality keeps the program's own limit of \p Resource.
bool kept(long Resource) {
  return Resource == RLIMIT_NOFILE || Resource == RLIMIT_AS;
}

/// The new limit of \p Resource (kept()) at \p New (if any) set, the old
/// one written at \p Old (if any), in prlimit64's order: EFAULT reading,
/// then the rules, then EFAULT writing.
long keptLimit(long Resource, long New, long Old) {
  uint64_t Wanted[2];
  if (New && UserMemory::copyIn(Wanted, reinterpret_cast<void *>(New),
                                sizeof(Wanted)) < 0)
    return -EFAULT;
  bool Files = Resource == RLIMIT_NOFILE;
  uint64_t Was[2];
  if (Files)
    FdLimit::get(Was);
  else
    AsLimit::get(Was);
  if (New)
    if (long E = Files ? FdLimit::set(Wanted[0], Wanted[1])
                       : AsLimit::set(Wanted[0], Wanted[1]);
        E < 0)
      return E;
  if (Old &&
      UserMemory::copyOut(reinterpret_cast<void *>(Old), Was, sizeof(Was)) < 0)
    return -EFAULT;
  return 0;
}

/// The host's call, then OwnMemfd told if it set RLIMIT_FSIZE.
long passFsize(SyscallCall &Call, bool Sets) {
  long R = passToHost(Call);
  if (Sets)
    OwnMemfd::limitSet();
  return R;
}

} // namespace

long sys::getrlimit(SyscallCall &Call) {
  if (!kept(Call.Arg[0]))
    return passToHost(Call);
  return keptLimit(Call.Arg[0], 0, Call.Arg[1]);
}

long sys::setrlimit(SyscallCall &Call) {
  if (!kept(Call.Arg[0]))
    return passFsize(Call, Call.Arg[0] == RLIMIT_FSIZE);
  return keptLimit(Call.Arg[0], Call.Arg[1], 0);
}

long sys::prlimit64(SyscallCall &Call) {
  bool Self = Call.Arg[0] == 0 || Call.Arg[0] == ProcessState::pid();
  if (!Self || !kept(Call.Arg[1]))
    // Any pid: a thread's id names this process's limit too.
    return passFsize(Call, Call.Arg[1] == RLIMIT_FSIZE && Call.Arg[2] != 0);
  return keptLimit(Call.Arg[1], Call.Arg[2], Call.Arg[3]);
}
