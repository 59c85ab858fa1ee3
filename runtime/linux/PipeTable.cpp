//===- runtime/linux/PipeTable.cpp - The process's pipe ends --------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/PipeTable.h"

#include "k42/personality/GateHeap.h"
#include "k42/personality/HostCall.h"

using namespace k42::personality;

namespace {
/// Constant-initialised: no guard variable (and no libc) on first use.
alignas(TableAlign) constinit PipeTable TheTable;
/// Ends whose last reference went (PipeTable::recycle).
GateLock PoolLock;
PipeEnd *Pool = nullptr;
} // namespace

PipeEnd *PipeTable::makeEnd() {
  PipeEnd *End = nullptr;
  {
    GateLockGuard Guard(PoolLock);
    if ((End = Pool))
      Pool = End->NextFree;
  }
  if (!End)
    return GateHeap::make<PipeEnd>();
  // Refs stays zero until the end is installed (hold() finds it dead).
  End->Writer = End->ReadWrite = false;
  End->Slot = -1;
  End->Ring = nullptr;
  End->ServerPid = End->ServerFd = 0;
  End->Id = 0;
  End->NextFree = nullptr;
  return End;
}

void PipeTable::recycle(PipeEnd *End) {
  if (!End)
    return;
  GateLockGuard Guard(PoolLock);
  End->NextFree = Pool;
  Pool = End;
}

PipeTable &PipeTable::process() { return TheTable; }

PipeEnd *PipeTable::get(long Fd) const {
  if (Fd < 0 || Fd >= MaxFds)
    return nullptr;
  return __atomic_load_n(&Ends[Fd], __ATOMIC_ACQUIRE);
}

bool PipeTable::install(long Fd, PipeEnd *End, ReleaseFn Stale) {
  if (!End || Fd < 0 || Fd >= MaxFds)
    return false;
  PipeEnd *Old = exchange(Fd, End);
  if (Old && Stale)
    Stale(Old);
  return true;
}

PipeEnd *PipeTable::remove(long Fd) {
  if (Fd < 0 || Fd >= MaxFds)
    return nullptr;
  GateLockGuard Guard(Lock);
  PipeEnd *End = Ends[Fd];
  __atomic_store_n(&Ends[Fd], nullptr, __ATOMIC_RELEASE);
  return End;
}

PipeEnd *PipeTable::removeIf(long Fd, PipeEnd *End) {
  if (Fd < 0 || Fd >= MaxFds || !End)
    return nullptr;
  GateLockGuard Guard(Lock);
  if (Ends[Fd] != End)
    return nullptr;
  __atomic_store_n(&Ends[Fd], nullptr, __ATOMIC_RELEASE);
  return End;
}

PipeEnd *PipeTable::exchange(long Fd, PipeEnd *End) {
  if (Fd < 0 || Fd >= MaxFds)
    return nullptr;
  GateLockGuard Guard(Lock);
  if (End)
    RefCount::retain(End->Refs);
  PipeEnd *Old = Ends[Fd];
  __atomic_store_n(&Ends[Fd], End, __ATOMIC_RELEASE);
  return Old;
}

bool PipeTable::holdsOtherEnd(const PipeEnd &End) const {
  for (const PipeEnd *E : Ends)
    if (E && E->Id == End.Id &&
        (E->Writer != End.Writer || E->ReadWrite || End.ReadWrite))
      return true;
  return false;
}

int PipeTable::count() const {
  int N = 0;
  for (const PipeEnd *E : Ends)
    N += E != nullptr;
  return N;
}
