//===- runtime/lib/HandleTable.cpp - Exported objects and rights ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Lookups are on every call's path, so they take no lock and live inline in
/// the header; the slot protocol is described there.
///
//===----------------------------------------------------------------------===//

#include "k42/ipc/HandleTable.h"

namespace k42 {

HandleTable::HandleTable(uint64_t Endpoint, uint32_t Capacity)
    : Endpoint(Endpoint), Capacity(Capacity),
      Slots(std::make_unique<Slot[]>(Capacity)) {}

HandleTable::~HandleTable() = default;

Result<ObjectHandle> HandleTable::insert(XObject &Object, RightsMask Rights,
                                         ProcessId Owner, ProcessId Grantor) {
  std::lock_guard<std::mutex> Guard(Lock);
  // A client may give access, but not fill the server's table with it.
  if (Grantor != 0 && Grants[Grantor] >= maxGrants())
    return Status::error(EDQUOT);
  uint32_t Index;
  if (!FreeList.empty()) {
    Index = FreeList.back();
    FreeList.pop_back();
  } else if (Used < Capacity) {
    Index = Used++;
  } else {
    return Status::error(ENOSPC);
  }
  Slot &S = Slots[Index];
  S.Object.store(&Object, std::memory_order_relaxed);
  S.Rights.store(Rights, std::memory_order_relaxed);
  S.Owner.store(Owner, std::memory_order_relaxed);
  S.Grantor.store(Grantor, std::memory_order_relaxed);
  uint32_t Sequence = S.NextSequence;
  S.NextSequence = Sequence == UINT32_MAX ? 1 : Sequence + 1;
  S.Sequence.store(Sequence, std::memory_order_release);
  if (Grantor != 0)
    ++Grants[Grantor];
  return ObjectHandle{Endpoint, Index, Sequence};
}

void HandleTable::clear(uint32_t Index) {
  Slot &S = Slots[Index];
  S.Sequence.store(0, std::memory_order_release);
  S.Object.store(nullptr, std::memory_order_relaxed);
  S.Rights.store(0, std::memory_order_relaxed);
  if (ProcessId Grantor = S.Grantor.exchange(0, std::memory_order_relaxed))
    if (auto It = Grants.find(Grantor); It != Grants.end() && --It->second == 0)
      Grants.erase(It);
  FreeList.push_back(Index);
}

Result<ObjectHandle> HandleTable::giveAccess(const ObjectHandle &From,
                                             const Badge &Caller,
                                             RightsMask Rights, ProcessId To) {
  HandleEntry Entry;
  if (Status S = lookup(From, Caller, Entry); !S)
    return S;
  // Rights only ever shrink along a chain of giveAccess calls.
  if ((Rights & ~Entry.Rights) != 0)
    return Status::error(errc::PermissionDenied);
  return insert(*Entry.Object, Rights, To, Caller.Pid);
}

Status HandleTable::revoke(const ObjectHandle &Handle) {
  if (Handle.Endpoint != Endpoint || Handle.Index >= Capacity ||
      !Handle.isValid())
    return Status::error(errc::BadHandle);
  std::lock_guard<std::mutex> Guard(Lock);
  Slot &S = Slots[Handle.Index];
  if (S.Sequence.load(std::memory_order_relaxed) != Handle.Sequence)
    return Status::error(errc::StaleHandle);
  clear(Handle.Index);
  return Status::ok();
}

Status HandleTable::revokeFor(const ObjectHandle &Handle,
                              const Badge &Caller) {
  if (Handle.Endpoint != Endpoint || Handle.Index >= Capacity ||
      !Handle.isValid())
    return Status::error(errc::BadHandle);
  {
    std::lock_guard<std::mutex> Guard(Lock);
    Slot &S = Slots[Handle.Index];
    if (S.Sequence.load(std::memory_order_relaxed) != Handle.Sequence)
      return Status::error(errc::StaleHandle);
    ProcessId Owner = S.Owner.load(std::memory_order_relaxed);
    ProcessId Grantor = S.Grantor.load(std::memory_order_relaxed);
    if (Caller.Pid != Owner && (Grantor == 0 || Caller.Pid != Grantor))
      return Status::error(errc::PermissionDenied);
  }
  return revoke(Handle);
}

uint32_t HandleTable::revokeOwner(ProcessId Owner) {
  std::lock_guard<std::mutex> Guard(Lock);
  uint32_t Revoked = 0;
  for (uint32_t Index = 0; Index < Used; ++Index) {
    Slot &S = Slots[Index];
    if (S.Sequence.load(std::memory_order_relaxed) == 0 ||
        S.Owner.load(std::memory_order_relaxed) != Owner)
      continue;
    clear(Index);
    ++Revoked;
  }
  return Revoked;
}

} // namespace k42
