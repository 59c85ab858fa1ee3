//===- runtime/linux/FaultSignals.cpp - SIGSEGV and SIGBUS ----------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/FaultSignals.h"

#include "k42/personality/HostCall.h"

#include <atomic>

#include <sys/syscall.h>
#include <ucontext.h>

using namespace k42::personality;

extern "C" {
// x86_64/UserCopy.S: the copy whose faults are recovered, and where.
extern char k42_user_copy_begin[];
extern char k42_user_copy_end[];
extern char k42_user_copy_fixup[];
}

namespace {

/// SA_RESTORER is not in glibc's public headers.
constexpr uint64_t SaRestorer = 0x04000000;

std::atomic_flag Busy = ATOMIC_FLAG_INIT;
/// The program's actions: [0] SIGSEGV, [1] SIGBUS.
KernelSigaction Program[2];
std::atomic<bool> Installed{false};
/// Threads that may have SIGSEGV or SIGBUS blocked.
std::atomic<long> Blocked{0};
/// Some action's sa_mask blocks them while its handler runs.
std::atomic<bool> MaskedHandlers{false};
/// Between beforeExec() and execFailed().
std::atomic<bool> Execing{false};

/// Short critical sections only: an action and one host call.
class Hold {
public:
  Hold() {
    while (Busy.test_and_set(std::memory_order_acquire))
      ;
  }
  ~Hold() { Busy.clear(std::memory_order_release); }
};

int slot(long Signal) { return Signal == SIGSEGV ? 0 : 1; }

bool catches(const KernelSigaction &A) {
  return A.Handler != reinterpret_cast<uint64_t>(SIG_DFL) &&
         A.Handler != reinterpret_cast<uint64_t>(SIG_IGN);
}

uint64_t maskOf(const ucontext_t *Context) {
  return *reinterpret_cast<const uint64_t *>(&Context->uc_sigmask);
}

void onFault(int Signal, siginfo_t *Info, void *Context);

/// The host's action: the personality's handler, run on the stack and
/// with the mask the program's own handler would have had.
long setHost(long Signal, const KernelSigaction &Action) {
  KernelSigaction Host;
  Host.Handler = reinterpret_cast<uint64_t>(&onFault);
  Host.Restorer = reinterpret_cast<uint64_t>(&k42_sigaction_restorer);
  // SA_RESTART: a kill the program ignores must not cut a blocking call
  // short with EINTR.
  Host.Flags = SA_SIGINFO | SaRestorer | SA_NODEFER | SA_RESTART;
  if (catches(Action)) {
    Host.Flags = SA_SIGINFO | SaRestorer |
                 (Action.Flags & (SA_ONSTACK | SA_RESTART | SA_NODEFER));
    Host.Mask = Action.Mask & ~SigsysBit;
  }
  return hostCall(SYS_rt_sigaction, Signal, reinterpret_cast<long>(&Host), 0,
                  sizeof(Host.Mask));
}

/// Dies of \p Signal as the host would have: the default action, and the
/// same signal (with its siginfo) pending when the handler returns.
void die(int Signal, siginfo_t *Info) {
  KernelSigaction Default;
  (void)hostCall(SYS_rt_sigaction, Signal, reinterpret_cast<long>(&Default), 0,
                 sizeof(Default.Mask));
  long Pid = hostCall(SYS_getpid), Tid = hostCall(SYS_gettid);
  if (hostCall(SYS_rt_tgsigqueueinfo, Pid, Tid, Signal,
               reinterpret_cast<long>(Info)) < 0)
    (void)hostCall(SYS_tgkill, Pid, Tid, Signal);
}

/// A fault, or a signal sent, that is the program's.
void deliver(int Signal, siginfo_t *Info, ucontext_t *Context) {
  KernelSigaction Action;
  {
    Hold H;
    Action = Program[slot(Signal)];
    if (catches(Action) && (Action.Flags & SA_RESETHAND)) {
      KernelSigaction Reset = Action;
      Reset.Handler = reinterpret_cast<uint64_t>(SIG_DFL);
      Program[slot(Signal)] = Reset;
      (void)setHost(Signal, Reset);
    }
  }
  // A kernel-made signal (si_code > 0) is a fault: the kernel forces it,
  // so an ignored one kills, as the default action does.
  bool Forced = Info->si_code > 0;
  if (Action.Handler == reinterpret_cast<uint64_t>(SIG_IGN) && !Forced)
    return;
  if (!catches(Action)) {
    die(Signal, Info);
    return;
  }
  // The host blocked what the program's handler blocks.
  FaultSignals::HandlerMask Counted(Signal, Context, Action.Mask, Action.Flags);
  reinterpret_cast<void (*)(int, siginfo_t *, void *)>(Action.Handler)(
      Signal, Info, Context);
}

void onFault(int Signal, siginfo_t *Info, void *Context) {
  auto *Frame = static_cast<ucontext_t *>(Context);
  greg_t &Pc = Frame->uc_mcontext.gregs[REG_RIP];
  auto At = reinterpret_cast<char *>(Pc);
  if (Info->si_code > 0 && At >= k42_user_copy_begin &&
      At < k42_user_copy_end) {
    // A user copy touched a bad address: it answers what it did not copy.
    Pc = reinterpret_cast<greg_t>(k42_user_copy_fixup);
    return;
  }
  deliver(Signal, Info, Frame);
}

} // namespace

long FaultSignals::install() {
  for (long Signal : {SIGSEGV, SIGBUS}) {
    KernelSigaction Now;
    if (long E = hostCall(SYS_rt_sigaction, Signal, 0,
                          reinterpret_cast<long>(&Now), sizeof(Now.Mask));
        E < 0)
      return E;
    Hold H;
    if (Now.Handler != reinterpret_cast<uint64_t>(&onFault))
      Program[slot(Signal)] = Now;
    if (long E = setHost(Signal, Program[slot(Signal)]); E < 0)
      return E;
  }
  forked();
  Installed.store(true, std::memory_order_release);
  return 0;
}

bool FaultSignals::installed() {
  return Installed.load(std::memory_order_acquire);
}

KernelSigaction FaultSignals::get(long Signal) {
  Hold H;
  return Program[slot(Signal)];
}

long FaultSignals::set(long Signal, const KernelSigaction &Action) {
  // No actionMask(Action.Mask): this handler runs from deliver(), which
  // counts the thread for as long as the mask it runs under blocks SIGSEGV
  // or SIGBUS. (glibc's signal() puts the signal itself in sa_mask: gcc's
  // cc1 catching SIGSEGV so copied every buffer of its life through the
  // host, 1,900 process_vm_readv calls an SDET script.)
  Hold H;
  Program[slot(Signal)] = Action;
  return setHost(Signal, Action);
}

bool FaultSignals::mayBeBlocked() {
  return Blocked.load(std::memory_order_relaxed) > 0 ||
         MaskedHandlers.load(std::memory_order_relaxed) ||
         Execing.load(std::memory_order_relaxed);
}

void FaultSignals::maskChanged(uint64_t Old, uint64_t New) {
  long Delta = long((New & Bits) != 0) - long((Old & Bits) != 0);
  if (Delta)
    Blocked.fetch_add(Delta, std::memory_order_relaxed);
}

void FaultSignals::threadStarting(uint64_t Mask, bool Undo) {
  if (Mask & Bits)
    Blocked.fetch_add(Undo ? -1 : 1, std::memory_order_relaxed);
}

FaultSignals::HandlerMask::HandlerMask(long Signal, const void *Context,
                                       uint64_t ActionMask, uint64_t Flags) {
  uint64_t Before = maskOf(static_cast<const ucontext_t *>(Context));
  uint64_t During = Before | ActionMask;
  if (!(Flags & SA_NODEFER))
    During |= uint64_t(1) << (Signal - 1);
  Counted = (During & Bits) && !(Before & Bits);
  if (Counted)
    Blocked.fetch_add(1, std::memory_order_relaxed);
}

FaultSignals::HandlerMask::~HandlerMask() {
  if (Counted)
    Blocked.fetch_sub(1, std::memory_order_relaxed);
}

void FaultSignals::actionSet(const KernelSigaction &Action) {
  // SIG_DFL and SIG_IGN run nothing (dash gives its SIGQUIT and SIGTERM
  // a full mask with SIG_DFL: every copy of its life went through the
  // host).
  if ((Action.Mask & Bits) &&
      Action.Handler != reinterpret_cast<uint64_t>(SIG_DFL) &&
      Action.Handler != reinterpret_cast<uint64_t>(SIG_IGN))
    MaskedHandlers.store(true, std::memory_order_relaxed);
}

void FaultSignals::forked() {
  uint64_t Mask = 0;
  (void)hostCall(SYS_rt_sigprocmask, SIG_BLOCK, 0,
                 reinterpret_cast<long>(&Mask), sizeof(Mask));
  Blocked.store((Mask & Bits) ? 1 : 0, std::memory_order_relaxed);
}

void FaultSignals::beforeExec() {
  Execing.store(true, std::memory_order_relaxed);
  Hold H;
  for (long Signal : {SIGSEGV, SIGBUS}) {
    if (Program[slot(Signal)].Handler != reinterpret_cast<uint64_t>(SIG_IGN))
      continue;
    KernelSigaction Ignore;
    Ignore.Handler = reinterpret_cast<uint64_t>(SIG_IGN);
    (void)hostCall(SYS_rt_sigaction, Signal, reinterpret_cast<long>(&Ignore), 0,
                   sizeof(Ignore.Mask));
  }
}

void FaultSignals::spawnChildDone() {
  Execing.store(false, std::memory_order_relaxed);
}

void FaultSignals::execFailed() {
  {
    Hold H;
    for (long Signal : {SIGSEGV, SIGBUS})
      (void)setHost(Signal, Program[slot(Signal)]);
  }
  Execing.store(false, std::memory_order_relaxed);
}
