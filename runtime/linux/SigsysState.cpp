//===- runtime/linux/SigsysState.cpp - The program's SIGSYS ---------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/SigsysState.h"

#include "k42/personality/HostCall.h"
#include "k42/personality/UserMemory.h"

#include <atomic>
#include <cerrno>
#include <cstring>

#include <sys/syscall.h>

using namespace k42::personality;

namespace {
std::atomic_flag Busy = ATOMIC_FLAG_INIT;
KernelSigaction Program;

/// Short critical sections only: a copy of four words.
class Hold {
public:
  Hold() {
    while (Busy.test_and_set(std::memory_order_acquire))
      ;
  }
  ~Hold() { Busy.clear(std::memory_order_release); }
};
} // namespace

KernelSigaction SigsysState::get() {
  Hold H;
  return Program;
}

void SigsysState::set(const KernelSigaction &Action) {
  Hold H;
  Program = Action;
}

void SigsysState::deliver(siginfo_t *Info, void *Context) {
  KernelSigaction Action = get();
  if (Action.Handler == reinterpret_cast<uint64_t>(SIG_IGN))
    return;
  if (Action.Handler == reinterpret_cast<uint64_t>(SIG_DFL))
    dieOf(SIGSYS); // as the host would have
  if (Action.Flags & SA_SIGINFO)
    reinterpret_cast<void (*)(int, siginfo_t *, void *)>(Action.Handler)(
        SIGSYS, Info, Context);
  else
    reinterpret_cast<void (*)(int)>(Action.Handler)(SIGSYS);
}

void SigsysState::dieOf(int Signal) {
  KernelSigaction Default;
  (void)hostCall(SYS_rt_sigaction, Signal, reinterpret_cast<long>(&Default), 0,
                 8);
  uint64_t Bit = uint64_t(1) << (Signal - 1);
  (void)hostCall(SYS_rt_sigprocmask, SIG_UNBLOCK, reinterpret_cast<long>(&Bit),
                 0, 8);
  for (;;) {
    raiseInThisThread(Signal);
    (void)hostCall(SYS_exit_group, 128 + Signal);
  }
}

long SigsysState::copyWaitMask(long User, long Size, sigset_t &Out,
                               const sigset_t *&Mask) {
  Mask = nullptr;
  if (!User)
    return 0;
  if (Size != 8)
    return -EINVAL;
  uint64_t Bits;
  if (UserMemory::copyIn(&Bits, reinterpret_cast<void *>(User), 8) < 0)
    return -EFAULT;
  Bits &= ~SigsysBit;
  std::memcpy(&Out, &Bits, 8);
  Mask = &Out;
  return 0;
}
