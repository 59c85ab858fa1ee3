//===- runtime/lib/Table.cpp - Translation tables -------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/cobj/Table.h"
#include "k42/cobj/Quiescence.h"

#include <algorithm>
#include <unistd.h>

namespace k42::cobj {

RootBase::~RootBase() = default;

namespace {

uint32_t hostProcessors() {
  long N = sysconf(_SC_NPROCESSORS_CONF);
  if (N < 1)
    N = 1;
  return uint32_t(std::min<long>(N, Table::MaxProcessors));
}

/// An index that may be reused once no call can still be resolving it.
struct IndexReturn {
  Table *Owner;
  uint32_t Index;
};

} // namespace

Table::Table(uint32_t Capacity)
    : Capacity(Capacity), Entries(new Entry[Capacity]),
      NumProcessors(hostProcessors()) {
  for (uint32_t P = 0; P < NumProcessors; ++P)
    Local[P].reset(new std::atomic<void *>[Capacity]());
}

Table::~Table() {
  // Pending index returns point at this table: let them run first.
  Quiescence::synchronize();
  for (uint32_t I = 0; I < Capacity; ++I)
    delete Entries[I].Root.exchange(nullptr);
}

Table &Table::global() {
  static Table *Tables = new Table(); // Never destroyed: objects may outlive
                                      // static destructors.
  return *Tables;
}

Result<ObjectId> Table::install(std::unique_ptr<RootBase> Root) {
  if (!Root)
    return Status::error(EINVAL);
  std::lock_guard<std::mutex> Guard(Lock);
  uint32_t Index;
  if (!FreeIndices.empty()) {
    Index = FreeIndices.back();
    FreeIndices.pop_back();
  } else if (NextIndex < Capacity) {
    Index = NextIndex++;
  } else {
    return Status::error(ENOSPC);
  }
  Entry &E = Entries[Index];
  E.Root.store(Root.release(), std::memory_order_release);
  uint32_t Sequence = E.Sequence.load(std::memory_order_relaxed) + 1;
  E.Sequence.store(Sequence, std::memory_order_release);
  Live.fetch_add(1);
  return ObjectId{Index, Sequence};
}

void Table::clearLocal(uint32_t Index) {
  for (uint32_t P = 0; P < NumProcessors; ++P)
    Local[P][Index].store(nullptr, std::memory_order_release);
}

void Table::releaseIndex(uint32_t Index) {
  std::lock_guard<std::mutex> Guard(Lock);
  FreeIndices.push_back(Index);
}

Status Table::checkLive(ObjectId Id) const {
  if (Id.Index >= Capacity)
    return Status::error(errc::BadHandle);
  if (Entries[Id.Index].Sequence.load() != Id.Sequence || !(Id.Sequence & 1))
    return Status::error(errc::StaleHandle);
  return Status::ok();
}

Status Table::remove(ObjectId Id) {
  RootBase *Old;
  {
    std::lock_guard<std::mutex> Guard(Lock);
    if (Status S = checkLive(Id); !S)
      return S;
    Entry &E = Entries[Id.Index];
    // Calls that begin now find the sequence changed; calls already past
    // the check keep their rep until they leave their section.
    E.Sequence.store(Id.Sequence + 1, std::memory_order_release);
    Old = E.Root.exchange(nullptr, std::memory_order_acq_rel);
    clearLocal(Id.Index);
    Live.fetch_sub(1);
  }
  Quiescence::retire(Old);
  // The index too waits: a miss still resolving it could otherwise cache
  // the old object's rep for the next object given the index.
  Quiescence::retire(static_cast<void *>(new IndexReturn{this, Id.Index}),
                     [](void *P) {
                       auto *R = static_cast<IndexReturn *>(P);
                       R->Owner->releaseIndex(R->Index);
                       delete R;
                     });
  return Status::ok();
}

RootBase *Table::root(ObjectId Id) {
  if (Id.Index >= Capacity ||
      Entries[Id.Index].Sequence.load(std::memory_order_acquire) !=
          Id.Sequence)
    return nullptr;
  return Entries[Id.Index].Root.load(std::memory_order_acquire);
}

void Table::flush(ObjectId Id) {
  if (Id.Index < Capacity &&
      Entries[Id.Index].Sequence.load(std::memory_order_acquire) ==
          Id.Sequence)
    clearLocal(Id.Index);
}

Status Table::replaceRoot(ObjectId Id, std::unique_ptr<RootBase> Root) {
  if (!Root)
    return Status::error(EINVAL);
  RootBase *Old;
  {
    std::lock_guard<std::mutex> Guard(Lock);
    if (Status S = checkLive(Id); !S)
      return S;
    Old = Entries[Id.Index].Root.exchange(Root.release(),
                                          std::memory_order_acq_rel);
    clearLocal(Id.Index);
  }
  Quiescence::retire(Old);
  return Status::ok();
}

void *Table::miss(ObjectId Id, uint32_t Processor) {
  Entry &E = Entries[Id.Index];
  std::atomic<void *> &Slot = Local[Processor][Id.Index];
  for (;;) {
    RootBase *Root = E.Root.load(std::memory_order_acquire);
    if (!Root || E.Sequence.load(std::memory_order_acquire) != Id.Sequence)
      return nullptr;
    void *Rep = Root->handleMiss(Processor);
    if (!Rep)
      return nullptr;
    void *Expected = nullptr;
    if (!Slot.compare_exchange_strong(Expected, Rep,
                                      std::memory_order_acq_rel))
      return Expected; // Another thread cached it first.
    // The object may have been removed or its root replaced meanwhile:
    // then the cached rep is the old one's, so take it back and retry.
    if (E.Root.load(std::memory_order_acquire) == Root &&
        E.Sequence.load(std::memory_order_acquire) == Id.Sequence)
      return Rep;
    Slot.compare_exchange_strong(Rep, nullptr, std::memory_order_acq_rel);
  }
}

} // namespace k42::cobj
