//===- runtime/linux/ProcessState.cpp - This process, K42's view ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/ProcessState.h"
#include "k42/personality/AsLimit.h"

#include "k42/personality/DevFd.h"
#include "k42/personality/FaultSignals.h"
#include "k42/personality/FdTable.h"
#include "k42/personality/FsBridge.h"
#include "k42/personality/GateHeap.h"
#include "k42/personality/GateLock.h"
#include "k42/personality/HandlerStack.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/ProcessBridge.h"

#include <atomic>

#include <cstdint>

#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>

using namespace k42::personality;

namespace {
std::atomic<long> Pid{0};
std::atomic<long> ForkParent{0};
/// Processes that may be running in this memory besides this one.
std::atomic<long> Sharers{0};
/// A fork child whose exec path has not run yet (beforeExecPath).
std::atomic<bool> ExecStackShared{false};
/// k42-exec's path, in the heap at its own length: a 4 KiB table in
/// .bss was a page more written by every program's start.
char *Loader = nullptr;
constexpr unsigned long LoaderCapacity = 4096;
alignas(TableAlign) char Program[4096];
bool HaveProgram = false;

/// Copies \p Path into \p Out (\p Capacity bytes with its NUL); false if
/// it does not fit.
bool copyBounded(const char *Path, char *Out, unsigned long Capacity) {
  unsigned long I = 0;
  for (; Path[I] && I + 1 < Capacity; ++I)
    Out[I] = Path[I];
  Out[I] = 0;
  return !Path[I];
}
} // namespace

void ProcessState::start(const char *LoaderPath) {
  Pid.store(hostCall(SYS_getpid), std::memory_order_relaxed);
  GateLock::recordHolders(int32_t(Pid.load(std::memory_order_relaxed)));
  ForkParent.store(0, std::memory_order_relaxed);
  HandlerStack::start();
  HaveProgram = false;
  // A second start in one image (a test) gives its copy back.
  GateHeap::release(Loader);
  Loader = nullptr;
  if (!LoaderPath || !*LoaderPath)
    return;
  unsigned long Length = 0;
  while (Length < LoaderCapacity && LoaderPath[Length])
    ++Length;
  // Too long to be trusted whole: none.
  if (Length == LoaderCapacity)
    return;
  // Its length is known: the bytes and the NUL after them, in one copy.
  if (auto *Copy = static_cast<char *>(GateHeap::allocate(Length + 1))) {
    __builtin_memcpy(Copy, LoaderPath, Length + 1);
    Loader = Copy;
  }
}

void ProcessState::setProgram(const char *Path) {
  HaveProgram =
      Path && Path[0] == '/' && copyBounded(Path, Program, sizeof(Program));
}

bool ProcessState::runsK42Program() { return HaveProgram; }

const char *ProcessState::programAt(long UserPath) {
  return HaveProgram && DevFd::namesOwnExe(UserPath) ? Program : nullptr;
}

void ProcessState::forked() {
  // The copy of the parent's memory still holds the parent's pid.
  ForkParent.store(pid(), std::memory_order_relaxed);
  Pid.store(hostCall(SYS_getpid), std::memory_order_relaxed);
  GateLock::recordHolders(int32_t(Pid.load(std::memory_order_relaxed)));
  // The parent's spawn children run in the parent's memory, not this copy.
  Sharers.store(0, std::memory_order_relaxed);
  ExecStackShared.store(true, std::memory_order_relaxed);
  FaultSignals::forked();
  HandlerStack::forked();
  AsLimit::forked();
  FdTable::process().forked();
  // The parent's kernel sockets are the parent's: a child holding copies
  // would keep the parent connected, for the kernel, after it exits.
  FsBridge::leaveParent();
  ProcessBridge::leaveParent();
}

void ProcessState::beforeExecPath(const void *Top) {
  if (!ExecStackShared.exchange(false, std::memory_order_relaxed))
    return;
  // Top's own page is written already. Below the stack's mapping (a
  // thread's stack near its end) the host refuses the populate, and the
  // pages fault as before.
  auto Page = reinterpret_cast<uintptr_t>(Top) & ~uintptr_t(4095);
  (void)hostCall(SYS_madvise, long(Page - ExecPathStackBytes),
                 long(ExecPathStackBytes), MADV_POPULATE_WRITE);
}

long ProcessState::forkParent() {
  return ForkParent.load(std::memory_order_relaxed);
}

long ProcessState::pid() {
  long P = Pid.load(std::memory_order_relaxed);
  // A process that was never started (a unit test) asks the host.
  return P ? P : hostCall(SYS_getpid);
}

namespace {
bool sharesWithProcess(long Flags) {
  return (Flags & CLONE_VM) && !(Flags & CLONE_THREAD);
}
} // namespace

void ProcessState::sharingMemory(long Flags) {
  if (sharesWithProcess(Flags))
    Sharers.fetch_add(1, std::memory_order_acq_rel);
}

void ProcessState::sharedMemory(long Flags, long Child) {
  if (sharesWithProcess(Flags) && (Child < 0 || (Flags & CLONE_VFORK)))
    Sharers.fetch_sub(1, std::memory_order_acq_rel);
}

bool ProcessState::memoryShared() {
  return Sharers.load(std::memory_order_acquire) != 0;
}

bool ProcessState::callerIsThisProcess() {
  if (__builtin_expect(!memoryShared(), 1))
    return true;
  return hostCall(SYS_getpid) == pid();
}

const char *ProcessState::loaderPath() { return Loader; }
