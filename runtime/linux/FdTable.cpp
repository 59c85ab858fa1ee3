//===- runtime/linux/FdTable.cpp - The process's descriptors --------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/FdTable.h"

#include "k42/personality/HostCall.h"

using namespace k42::personality;

namespace {
/// Constant-initialised: no guard variable (and no libc) on first use.
alignas(TableAlign) constinit FdTable TheTable;
} // namespace

FdTable &FdTable::process() { return TheTable; }

OpenFile *FdTable::get(long Fd) const {
  if (Fd < 0 || Fd >= MaxFds)
    return nullptr;
  return __atomic_load_n(&Files[Fd], __ATOMIC_ACQUIRE);
}

bool FdTable::install(long Fd, OpenFile *File) {
  if (Fd < 0 || Fd >= MaxFds || !File)
    return false;
  GateLockGuard Guard(Lock);
  __atomic_add_fetch(&File->Refs, 1, __ATOMIC_RELAXED);
  __atomic_store_n(&Files[Fd], File, __ATOMIC_RELEASE);
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

bool FdTable::release(OpenFile *File) {
  return File && __atomic_sub_fetch(&File->Refs, 1, __ATOMIC_ACQ_REL) == 0;
}

int FdTable::count() const {
  int N = 0;
  for (const OpenFile *F : Files)
    N += F != nullptr;
  return N;
}

void FdTable::forked() {
  for (OpenFile *F : Files)
    if (F)
      F->Server.LeaseRing = nullptr;
}
