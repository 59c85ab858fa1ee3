//===- runtime/linux/ProcessState.cpp - This process, K42's view ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/ProcessState.h"

#include "k42/personality/FaultSignals.h"
#include "k42/personality/FdTable.h"
#include "k42/personality/FsBridge.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/ProcessBridge.h"

#include <atomic>

#include <sys/syscall.h>

using namespace k42::personality;

namespace {
std::atomic<long> Pid{0};
std::atomic<long> ForkParent{0};
char Loader[4096];
bool HaveLoader = false;
} // namespace

void ProcessState::start(const char *LoaderPath) {
  Pid.store(hostCall(SYS_getpid), std::memory_order_relaxed);
  ForkParent.store(0, std::memory_order_relaxed);
  HaveLoader = false;
  if (!LoaderPath || !*LoaderPath)
    return;
  unsigned long I = 0;
  for (; LoaderPath[I] && I + 1 < sizeof(Loader); ++I)
    Loader[I] = LoaderPath[I];
  if (LoaderPath[I])
    return; // Too long to be trusted whole.
  Loader[I] = 0;
  HaveLoader = true;
}

void ProcessState::forked() {
  // The copy of the parent's memory still holds the parent's pid.
  ForkParent.store(pid(), std::memory_order_relaxed);
  Pid.store(hostCall(SYS_getpid), std::memory_order_relaxed);
  FaultSignals::forked();
  FdTable::process().forked();
  // The parent's kernel sockets are the parent's: a child holding copies
  // would keep the parent connected, for the kernel, after it exits.
  FsBridge::leaveParent();
  ProcessBridge::leaveParent();
}

long ProcessState::forkParent() {
  return ForkParent.load(std::memory_order_relaxed);
}

long ProcessState::pid() {
  long P = Pid.load(std::memory_order_relaxed);
  // A process that was never started (a unit test) asks the host.
  return P ? P : hostCall(SYS_getpid);
}

const char *ProcessState::loaderPath() { return HaveLoader ? Loader : nullptr; }
