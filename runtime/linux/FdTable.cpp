//===- runtime/linux/FdTable.cpp - The process's descriptors --------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/FdTable.h"

#include "k42/personality/GateHeap.h"
#include "k42/personality/HostCall.h"

using namespace k42::personality;

namespace {
/// Constant-initialised: no guard variable (and no libc) on first use.
alignas(TableAlign) constinit FdTable TheTable;
/// Files whose last reference went (FdTable::recycle).
GateLock PoolLock;
OpenFile *Pool = nullptr;
} // namespace

OpenFile *FdTable::makeFile() {
  OpenFile *File = nullptr;
  {
    GateLockGuard Guard(PoolLock);
    if ((File = Pool))
      Pool = File->NextFree;
  }
  if (!File)
    return GateHeap::make<OpenFile>();
  // Refs stays zero until the file is installed: a hold() that still
  // looks at it from a descriptor it had finds it dead.
  File->Desc = nullptr;
  File->Server = ServerFile();
  File->LockFd = -1;
  File->NextFree = nullptr;
  return File;
}

void FdTable::recycle(OpenFile *File) {
  if (!File)
    return;
  GateLockGuard Guard(PoolLock);
  File->NextFree = Pool;
  Pool = File;
}

FdTable &FdTable::process() { return TheTable; }

OpenFile *FdTable::get(long Fd) const {
  if (Fd < 0 || Fd >= MaxFds)
    return nullptr;
  return __atomic_load_n(&Files[Fd], __ATOMIC_ACQUIRE);
}

bool FdTable::install(long Fd, OpenFile *File, ReleaseFn Stale) {
  if (!File || Fd < 0 || Fd >= MaxFds)
    return false;
  OpenFile *Old = exchange(Fd, File);
  if (Old && Stale)
    Stale(Old);
  return true;
}

OpenFile *FdTable::remove(long Fd) {
  if (Fd < 0 || Fd >= MaxFds)
    return nullptr;
  GateLockGuard Guard(Lock);
  OpenFile *File = Files[Fd];
  __atomic_store_n(&Files[Fd], nullptr, __ATOMIC_RELEASE);
  return File;
}

OpenFile *FdTable::removeIf(long Fd, OpenFile *File) {
  if (Fd < 0 || Fd >= MaxFds || !File)
    return nullptr;
  GateLockGuard Guard(Lock);
  if (Files[Fd] != File)
    return nullptr;
  __atomic_store_n(&Files[Fd], nullptr, __ATOMIC_RELEASE);
  return File;
}

OpenFile *FdTable::exchange(long Fd, OpenFile *File) {
  if (Fd < 0 || Fd >= MaxFds)
    return nullptr;
  GateLockGuard Guard(Lock);
  if (File)
    RefCount::retain(File->Refs);
  OpenFile *Old = Files[Fd];
  __atomic_store_n(&Files[Fd], File, __ATOMIC_RELEASE);
  return Old;
}

int FdTable::count() const {
  int N = 0;
  for (const OpenFile *F : Files)
    N += F != nullptr;
  return N;
}

void FdTable::forked() {
  for (OpenFile *F : Files)
    if (F) {
      F->Server.LeaseRing = nullptr;
      FsBridge::drop(F->Server); // dup'd: the first drop lets go
    }
}
