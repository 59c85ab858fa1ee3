//===- runtime/lib/Table.cpp - Translation tables -------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/cobj/Table.h"
#include "k42/cobj/Quiescence.h"

#include <algorithm>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <thread>
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
  for (uint32_t I = 0; I < Capacity; ++I) {
    delete Entries[I].Root.exchange(nullptr);
    delete Entries[I].Pending.exchange(nullptr);
  }
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
    // A thread that took the lazy swap owns it; one still waiting goes.
    delete E.Pending.exchange(nullptr, std::memory_order_acq_rel);
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

Table::Lookup Table::miss(ObjectId Id, uint32_t Processor) {
  Entry &E = Entries[Id.Index];
  std::atomic<void *> &Slot = Local[Processor][Id.Index];
  for (;;) {
    if (E.Swap.load(std::memory_order_seq_cst) != NoSwap) [[unlikely]]
      return mediate(E, Id, Processor);
    RootBase *Root = E.Root.load(std::memory_order_acquire);
    if (!Root || E.Sequence.load(std::memory_order_acquire) != Id.Sequence)
      return {};
    bool Pending = E.Pending.load(std::memory_order_seq_cst) != nullptr;
    // An outermost call runs the lazy swap first (outside its section).
    if (Pending && Quiescence::depth() == 1) [[unlikely]]
      return {nullptr, false, true};
    void *Rep = Root->handleMiss(Processor);
    if (!Rep || Pending)
      return {Rep, false, false}; // Not cached: the swap is still to come.

    void *Expected = nullptr;
    if (!Slot.compare_exchange_strong(Expected, Rep,
                                      std::memory_order_seq_cst))
      return {Expected, false, false}; // Another thread cached it first.
    // The object may have been removed, swapped or given a new root
    // meanwhile: then the cached rep may be the old one's, so take it back
    // and look again.
    if (E.Swap.load(std::memory_order_seq_cst) == NoSwap &&
        E.Pending.load(std::memory_order_seq_cst) == nullptr &&
        E.Root.load(std::memory_order_acquire) == Root &&
        E.Sequence.load(std::memory_order_acquire) == Id.Sequence)
      return {Rep, false, false};
    Slot.compare_exchange_strong(Rep, nullptr, std::memory_order_acq_rel);
  }
}

namespace {

/// The objects this thread is inside through calls a swap let through, so
/// a call it makes into one of them again (a nested call) is let through
/// too rather than held by the swap that waits for it.
struct Inside {
  static constexpr unsigned Max = 16;
  const Table *Owner[Max];
  uint32_t Index[Max];
  unsigned Count;

  bool has(const Table *T, uint32_t I) const {
    for (unsigned K = 0; K < Count; ++K)
      if (Owner[K] == T && Index[K] == I)
        return true;
    return false;
  }
};

constinit thread_local Inside Mediated{};

} // namespace

Table::Lookup Table::mediate(Entry &E, ObjectId Id, uint32_t Processor) {
  // Counted first, then the phase read again: either the swap sees this
  // call in InFlight, or the call sees that the swap now holds calls.
  E.InFlight.fetch_add(1, std::memory_order_seq_cst);
  uint32_t Phase = E.Swap.load(std::memory_order_seq_cst);
  bool Nested = Mediated.has(this, Id.Index);
  if (Phase == NoSwap || (Phase == Holding && !Nested) ||
      Mediated.Count == Inside::Max) {
    E.InFlight.fetch_sub(1, std::memory_order_seq_cst);
    if (Phase == NoSwap)
      return miss(Id, Processor); // The swap just ended: look again.
    return {nullptr, false, true};
  }
  RootBase *Root = E.Root.load(std::memory_order_acquire);
  void *Rep = nullptr;
  if (Root && E.Sequence.load(std::memory_order_acquire) == Id.Sequence)
    Rep = Root->handleMiss(Processor); // Not cached: the swap is coming.
  if (!Rep) {
    E.InFlight.fetch_sub(1, std::memory_order_seq_cst);
    return {};
  }
  Mediated.Owner[Mediated.Count] = this;
  Mediated.Index[Mediated.Count] = Id.Index;
  ++Mediated.Count;
  return {Rep, true, false};
}

void Table::leave(ObjectId Id) {
  // The most recent entry for this object is this call's.
  for (unsigned K = Mediated.Count; K-- > 0;)
    if (Mediated.Owner[K] == this && Mediated.Index[K] == Id.Index) {
      for (unsigned J = K + 1; J < Mediated.Count; ++J) {
        Mediated.Owner[J - 1] = Mediated.Owner[J];
        Mediated.Index[J - 1] = Mediated.Index[J];
      }
      --Mediated.Count;
      break;
    }
  Entries[Id.Index].InFlight.fetch_sub(1, std::memory_order_seq_cst);
}

void Table::runPending(Entry &E) {
  if (Quiescence::inside() ||
      E.Pending.load(std::memory_order_acquire) == nullptr)
    return;
  // Taking it makes this thread its owner: no other runs it.
  std::unique_ptr<SwapFn> Swap(
      E.Pending.exchange(nullptr, std::memory_order_acq_rel));
  if (Swap && *Swap)
    (void)(*Swap)(); // Its own business to record how it went.
}

Status Table::swapOnNextUse(ObjectId Id, SwapFn Swap) {
  if (!Swap)
    return Status::error(EINVAL);
  auto Owned = std::make_unique<SwapFn>(std::move(Swap));
  std::lock_guard<std::mutex> Guard(Lock);
  if (Status S = checkLive(Id); !S)
    return S;
  Entry &E = Entries[Id.Index];
  delete E.Pending.exchange(Owned.release(), std::memory_order_seq_cst);
  // Every processor's next call misses, and the miss sees the request.
  clearLocal(Id.Index);
  return Status::ok();
}

bool Table::swapPending(ObjectId Id) const {
  if (Id.Index >= Capacity)
    return false;
  const Entry &E = Entries[Id.Index];
  return E.Sequence.load(std::memory_order_acquire) == Id.Sequence &&
         E.Pending.load(std::memory_order_acquire) != nullptr;
}

void Table::cancelSwapOnNextUse(ObjectId Id) {
  std::lock_guard<std::mutex> Guard(Lock);
  if (checkLive(Id))
    delete Entries[Id.Index].Pending.exchange(nullptr,
                                              std::memory_order_acq_rel);
}

void Table::awaitSwap(ObjectId Id) {
  if (Id.Index >= Capacity)
    return;
  Entry &E = Entries[Id.Index];
  runPending(E);
  for (;;) {
    // Only the holding phase keeps calls out: by the time this thread
    // wakes, the next swap may already be forwarding calls again.
    uint32_t Phase = E.Swap.load(std::memory_order_acquire);
    if (Phase != Holding ||
        E.Sequence.load(std::memory_order_acquire) != Id.Sequence)
      return;
    syscall(SYS_futex, reinterpret_cast<uint32_t *>(&E.Swap), FUTEX_WAIT,
            Phase, nullptr, nullptr, 0);
  }
}

Status Table::swap(ObjectId Id, std::unique_ptr<RootBase> NewRoot,
                   const TransferFn &Transfer) {
  if (!NewRoot)
    return Status::error(EINVAL);
  if (Quiescence::inside())
    return Status::error(EDEADLK);
  std::lock_guard<std::mutex> OneAtATime(SwapLock);
  {
    std::lock_guard<std::mutex> Guard(Lock);
    if (Status S = checkLive(Id); !S)
      return S;
  }
  Entry &E = Entries[Id.Index];
  auto Wake = [&] {
    syscall(SYS_futex, reinterpret_cast<uint32_t *>(&E.Swap), FUTEX_WAKE,
            INT32_MAX, nullptr, nullptr, 0);
  };

  // Forwarding: calls from now on miss, and go to the old object counted.
  // Calls that found their rep before then are inside quiescence sections
  // that began before the epoch synchronize() waits past.
  E.Swap.store(Forwarding, std::memory_order_seq_cst);
  clearLocal(Id.Index);
  Quiescence::synchronize();
  // A miss that began before the swap may have cached the old rep after
  // the tables were cleared; it takes the rep back before its section
  // ends, so the first wait saw it do so. But a call on that processor may
  // have found the rep in the moment it was cached, in a section the first
  // wait did not cover, and be inside the old object uncounted. No call
  // can find the old rep from now on: wait for those too.
  Quiescence::synchronize();

  // Holding: no new call gets in (but nested ones of threads already
  // inside); wait for the counted ones to leave.
  E.Swap.store(Holding, std::memory_order_seq_cst);
  while (E.InFlight.load(std::memory_order_seq_cst) != 0)
    std::this_thread::yield();

  // Nobody is inside the old object: move its state, then relink.
  RootBase *Old = E.Root.load(std::memory_order_acquire);
  Status Moved = Old ? Transfer(*Old, *NewRoot) : Status::error(ESTALE);
  RootBase *Retired = nullptr;
  {
    std::lock_guard<std::mutex> Guard(Lock);
    if (Moved && checkLive(Id)) {
      Retired = E.Root.exchange(NewRoot.release(), std::memory_order_acq_rel);
    } else if (Moved) {
      Moved = Status::error(errc::StaleHandle); // Removed meanwhile.
    }
    clearLocal(Id.Index);
    E.Swap.store(NoSwap, std::memory_order_seq_cst);
  }
  Wake();
  if (Retired)
    Quiescence::retire(Retired);
  return Moved;
}

} // namespace k42::cobj
