//===- runtime/linux/TraceStops.cpp - A tracer's view of dispatch ---------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// `ptrace`, passed through to the host once its resume requests are
/// noted, and the passing on of the stops the personality causes in a
/// tracee (the dispatch's SIGSYS, its user copy's faults) that the
/// tracer's `wait4` and `waitid` (WaitCalls.cpp) would otherwise return.
///
//===----------------------------------------------------------------------===//

#include "k42/personality/TraceStops.h"

#include "k42/personality/Handlers.h"
#include "k42/personality/HostCall.h"

#include <atomic>
#include <cstddef>
#include <cstdint>

#include <signal.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>

using namespace k42::personality;

/// x86_64/UserCopy.S: the copy's mark, and the instruction that faults.
extern "C" char k42_user_copy_mark[];
extern "C" char k42_user_copy_begin[];

namespace {

/// The si_code of a SIGSYS raised by Syscall User Dispatch.
constexpr int SysUserDispatch = 2;

/// The last resume request per tracee: slot tid % Slots holds the tid in
/// its high half and the request in its low half. A tid that lost its
/// slot to another is resumed by PTRACE_CONT, what a tracer makes of a
/// tracee it does not step. Touched only by tracers.
constexpr unsigned Slots = 1024;
std::atomic<uint64_t> Resumes[Slots];

bool Shown = false;

bool isResume(long Request) {
  switch (Request) {
  case PTRACE_CONT:
  case PTRACE_SYSCALL:
  case PTRACE_SINGLESTEP:
  case PTRACE_SYSEMU:
  case PTRACE_SYSEMU_SINGLESTEP:
  case PTRACE_SINGLEBLOCK:
    return true;
  default:
    return false;
  }
}

/// Whether a tracee resumed by \p Request is stopped again by the host
/// at the signal handler's first instruction.
bool steps(long Request) {
  return Request == PTRACE_SINGLESTEP || Request == PTRACE_SYSEMU_SINGLESTEP ||
         Request == PTRACE_SINGLEBLOCK;
}

long lastResume(long Tid) {
  uint64_t Entry =
      Resumes[uint64_t(Tid) % Slots].load(std::memory_order_acquire);
  if (Entry >> 32 != uint64_t(uint32_t(Tid)))
    return PTRACE_CONT;
  return long(uint32_t(Entry));
}

/// Whether the fault \p Info stopped \p Tid in the personality's user
/// copy (a system call's bad pointer, which the tracee's fault handler
/// turns into EFAULT): the bytes before its pc are the copy's mark and
/// the copy's own bytes, as in this image.
bool inUserCopy(long Tid, const siginfo_t &Info) {
  if (Info.si_code <= 0) // sent, not a fault
    return false;
  uintptr_t Pc = 0;
  if (hostCall(SYS_ptrace, PTRACE_PEEKUSER, Tid, offsetof(user, regs.rip),
               reinterpret_cast<long>(&Pc)) != 0)
    return false;
  constexpr size_t FaultingBytes = 2; // rep movsb
  size_t Before = size_t(k42_user_copy_begin - k42_user_copy_mark);
  size_t Span = Before + FaultingBytes;
  char Bytes[64];
  if (Span > sizeof(Bytes) || Pc < Before)
    return false;
  iovec Local{Bytes, Span};
  iovec Remote{reinterpret_cast<void *>(Pc - Before), Span};
  if (hostCall(SYS_process_vm_readv, Tid, reinterpret_cast<long>(&Local), 1,
               reinterpret_cast<long>(&Remote), 1, 0) != long(Span))
    return false;
  return __builtin_memcmp(Bytes, k42_user_copy_mark, Span) == 0;
}

} // namespace

void TraceStops::configure(const char *Show) {
  Shown = Show && Show[0] == '1' && Show[1] == '\0';
}

void TraceStops::requested(long Request, long Tid) {
  if (Tid <= 0)
    return;
  std::atomic<uint64_t> &Slot = Resumes[uint64_t(Tid) % Slots];
  uint64_t Key = uint64_t(uint32_t(Tid)) << 32;
  if (isResume(Request)) {
    Slot.store(Key | uint32_t(Request), std::memory_order_release);
  } else if (Request == PTRACE_DETACH || Request == PTRACE_KILL) {
    uint64_t Entry = Slot.load(std::memory_order_acquire);
    if (Entry >> 32 == Key >> 32)
      Slot.compare_exchange_strong(Entry, 0, std::memory_order_acq_rel);
  }
}

bool TraceStops::passedOn(long Tid, int Status) {
  // A signal-delivery stop (not a ptrace event's, not a syscall stop,
  // which are SIGTRAP's) for a signal the personality causes.
  if (Shown || Tid <= 0 || !WIFSTOPPED(Status) || (Status >> 16) != 0)
    return false;
  int Signal = WSTOPSIG(Status);
  if (Signal != SIGSYS && Signal != SIGSEGV && Signal != SIGBUS)
    return false;
  siginfo_t Info{};
  if (hostCall(SYS_ptrace, PTRACE_GETSIGINFO, Tid, 0,
               reinterpret_cast<long>(&Info)) != 0 ||
      Info.si_signo != Signal)
    return false;
  bool Ours = Signal == SIGSYS ? Info.si_code == SysUserDispatch
                               : inUserCopy(Tid, Info);
  if (!Ours)
    return false;
  long Request = lastResume(Tid);
  if (steps(Request))
    return false;
  return hostCall(SYS_ptrace, Request, Tid, 0, Signal) == 0;
}

long sys::ptrace(SyscallCall &Call) {
  TraceStops::requested(Call.Arg[0], Call.Arg[1]);
  return hostCall(SYS_ptrace, Call.Arg[0], Call.Arg[1], Call.Arg[2],
                  Call.Arg[3]);
}
