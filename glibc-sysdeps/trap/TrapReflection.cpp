//===- glibc-sysdeps/trap/TrapReflection.cpp - Traps to the table ---------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/TrapReflection.h"

#include "k42/personality/CallStats.h"
#include "k42/personality/FaultSignals.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/ProcNames.h"
#include "k42/personality/RefusalLog.h"
#include "k42/personality/SignalDefer.h"
#include "k42/personality/SigsysState.h"
#include "k42/personality/SitePatch.h"
#include "k42/personality/SyscallTable.h"

#include <atomic>
#include <cerrno>

#include <linux/audit.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

using namespace k42::personality;

namespace {

// From <linux/prctl.h> and <asm-generic/siginfo.h> (5.11 and later), named
// here so that older headers build too.
constexpr long SetSyscallUserDispatch = 59;
constexpr long DispatchOn = 1;
constexpr long DispatchOff = 0;
constexpr char FilterBlock = 1;
constexpr int SysUserDispatch = 2;

/// The selector every thread of the process is armed with.
char Selector = FilterBlock;

std::atomic<unsigned long> Reflected{0};
bool CountAtExit = false;

/// The exit_group report of countAtExit().
void logCounts() {
  char Line[200];
  char *At = Line;
  auto Put = [&](const char *Text) {
    while (*Text)
      *At++ = *Text++;
  };
  Put("k42-linux: pid ");
  At = putDecimal(At, static_cast<uint64_t>(hostCall(SYS_getpid)));
  Put(" exits: ");
  At = putDecimal(At, Reflected.load(std::memory_order_relaxed));
  Put(" calls trapped, ");
  At = putDecimal(At, SitePatch::sites());
  Put(" sites patched, ");
  At = putDecimal(At, SitePatch::calls());
  Put(" calls through patched sites, ");
  At = putDecimal(At, SitePatch::carriedOver());
  Put(" sites carried over from exec\n");
  RefusalLog::say(Line, static_cast<unsigned long>(At - Line));
}

/// SA_RESTORER is not in glibc's public headers.
constexpr unsigned long SaRestorer = 0x04000000;

void onSigsys(int, siginfo_t *Info, void *Context) {
  auto *Trap = static_cast<ucontext_t *>(Context);
  if (Info->si_code != SysUserDispatch) {
    SigsysState::deliver(Info, Context);
    return;
  }
  Reflected.fetch_add(1, std::memory_order_relaxed);
  greg_t *R = Trap->uc_mcontext.gregs;
  if (Info->si_arch != AUDIT_ARCH_X86_64) {
    // int $0x80 from 64-bit code: other numbers, other registers.
    RefusalLog::once(-1, "32-bit system call (int $0x80)", ENOSYS);
    R[REG_RAX] = -ENOSYS;
    return;
  }
  SyscallCall Call;
  Call.Number = Info->si_syscall;
  Call.Arg[0] = R[REG_RDI];
  Call.Arg[1] = R[REG_RSI];
  Call.Arg[2] = R[REG_RDX];
  Call.Arg[3] = R[REG_R10];
  Call.Arg[4] = R[REG_R8];
  Call.Arg[5] = R[REG_R9];
  Call.Trap = Trap;
  if (Call.Number == SYS_exit_group && CountAtExit)
    logCounts();
  // The image's server calls go with it (K42_LINUX_CALL_STATS); a failed
  // exec's are simply counted again from zero.
  if (CallStats::on() &&
      (Call.Number == SYS_exit_group || Call.Number == SYS_execve ||
       Call.Number == SYS_execveat))
    CallStats::report(Call.Number == SYS_exit_group ? "exit" : "exec");
  SitePatch::trapped(Call, static_cast<uintptr_t>(R[REG_RIP]));
  long Result = SyscallTable::dispatch(Call);
  if (!Call.Redirected)
    R[REG_RAX] = Result;
}

} // namespace

long TrapReflection::install() {
  // SIGSEGV and SIGBUS too: the personality's copies recover their faults.
  if (long E = FaultSignals::install(); E < 0)
    return E;
  // Program handlers wait for the thread's locks from here on.
  SignalDefer::start();
  KernelSigaction Action;
  Action.Handler = reinterpret_cast<uint64_t>(&onSigsys);
  // SA_NODEFER: a program handler that runs inside a reflected call (and
  // leaves by longjmp) must not leave SIGSYS blocked behind it. The mask
  // stays empty: SIGSEGV and SIGBUS blocked while a handler runs would make
  // a bad pointer in a copy kill the process (the kernel forces faults).
  Action.Flags = SA_SIGINFO | SA_NODEFER | SaRestorer;
  Action.Restorer = reinterpret_cast<uint64_t>(&k42_sigaction_restorer);
  Action.Mask = 0;
  return hostCall(SYS_rt_sigaction, SIGSYS, reinterpret_cast<long>(&Action), 0,
                  sizeof(Action.Mask));
}

long TrapReflection::armThread() {
  // A thread may start with SIGSYS blocked (glibc blocks all signals
  // around clone); a trap then would kill it.
  uint64_t Sigsys = SigsysBit;
  (void)hostCall(SYS_rt_sigprocmask, SIG_UNBLOCK,
                 reinterpret_cast<long>(&Sigsys), 0, sizeof(Sigsys));
  return hostCall(SYS_prctl, SetSyscallUserDispatch, DispatchOn,
                  reinterpret_cast<long>(k42_gate_begin),
                  k42_gate_end - k42_gate_begin,
                  reinterpret_cast<long>(&Selector));
}

long TrapReflection::disarmThread() {
  return hostCall(SYS_prctl, SetSyscallUserDispatch, DispatchOff, 0, 0, 0);
}

bool TrapReflection::nested() {
  return hostCall(SYS_prctl, NestedProbe) == NestedAnswer;
}

unsigned long TrapReflection::reflected() {
  return Reflected.load(std::memory_order_relaxed);
}

void TrapReflection::countAtExit() { CountAtExit = true; }
