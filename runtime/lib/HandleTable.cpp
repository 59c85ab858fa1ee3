//===- runtime/lib/HandleTable.cpp - Exported objects and rights ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Lookups are on every call's path, so they take no lock: a slot is a small
/// seqlock. Writers (under Lock) first zero the sequence, then write the
/// fields, then publish a new non-zero sequence; a reader accepts what it read
/// only if the sequence it saw before and after matches the handle's.
///
//===----------------------------------------------------------------------===//

#include "k42/ipc/HandleTable.h"

namespace k42 {

struct HandleTable::Slot {
  std::atomic<uint32_t> Sequence{0};
  std::atomic<XObject *> Object{nullptr};
  std::atomic<RightsMask> Rights{0};
  std::atomic<ProcessId> Owner{0};
  /// The sequence the next use of this slot publishes; never 0.
  uint32_t NextSequence = 1;
};

HandleTable::HandleTable(uint64_t Endpoint, uint32_t Capacity)
    : Endpoint(Endpoint), Capacity(Capacity),
      Slots(std::make_unique<Slot[]>(Capacity)) {}

HandleTable::~HandleTable() = default;

Result<ObjectHandle> HandleTable::insert(XObject &Object, RightsMask Rights,
                                         ProcessId Owner) {
  std::lock_guard<std::mutex> Guard(Lock);
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
  uint32_t Sequence = S.NextSequence;
  S.NextSequence = Sequence == UINT32_MAX ? 1 : Sequence + 1;
  S.Sequence.store(Sequence, std::memory_order_release);
  return ObjectHandle{Endpoint, Index, Sequence};
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
  return insert(*Entry.Object, Rights, To);
}

Status HandleTable::revoke(const ObjectHandle &Handle) {
  if (Handle.Endpoint != Endpoint || Handle.Index >= Capacity ||
      !Handle.isValid())
    return Status::error(errc::BadHandle);
  std::lock_guard<std::mutex> Guard(Lock);
  Slot &S = Slots[Handle.Index];
  if (S.Sequence.load(std::memory_order_relaxed) != Handle.Sequence)
    return Status::error(errc::StaleHandle);
  S.Sequence.store(0, std::memory_order_release);
  S.Object.store(nullptr, std::memory_order_relaxed);
  S.Rights.store(0, std::memory_order_relaxed);
  FreeList.push_back(Handle.Index);
  return Status::ok();
}

Status HandleTable::lookup(const ObjectHandle &Handle, const Badge &Caller,
                           HandleEntry &Entry) const {
  // Anything that does not name a slot of this table is forged.
  if (Handle.Endpoint != Endpoint || Handle.Index >= Capacity ||
      !Handle.isValid())
    return Status::error(errc::BadHandle);
  const Slot &S = Slots[Handle.Index];
  uint32_t Before = S.Sequence.load(std::memory_order_acquire);
  if (Before != Handle.Sequence)
    return Status::error(errc::StaleHandle);
  Entry.Object = S.Object.load(std::memory_order_relaxed);
  Entry.Rights = S.Rights.load(std::memory_order_relaxed);
  Entry.Owner = S.Owner.load(std::memory_order_relaxed);
  std::atomic_thread_fence(std::memory_order_acquire);
  if (S.Sequence.load(std::memory_order_relaxed) != Before ||
      Entry.Object == nullptr)
    return Status::error(errc::StaleHandle);
  // A handle given to another process is worth nothing to this caller; say
  // "bad handle" rather than reveal that the object exists.
  if (Entry.Owner != Caller.Pid)
    return Status::error(errc::BadHandle);
  return Status::ok();
}

} // namespace k42
