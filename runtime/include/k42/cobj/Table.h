//===- runtime/include/k42/cobj/Table.h - Translation tables ----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// K42's object translation tables: a global table of roots and, per
/// processor, a local table of rep pointers, both indexed by the object's
/// number. A call looks in the caller's processor's local table (one load
/// from memory only that processor writes); an empty entry is a miss, which
/// the root answers and the table then caches. Removing an object empties
/// its entries and frees its root (and with it the reps) after quiescence,
/// so a call that already found a rep finishes with it.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_COBJ_TABLE_H
#define K42_RUNTIME_COBJ_TABLE_H

#include "k42/cobj/RootBase.h"
#include "k42/ipc/Result.h"
#include "k42/ipc/Status.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace k42::cobj {

/// An object's place in the tables: its number and the sequence number
/// that tells this object from later ones given the same number.
struct ObjectId {
  uint32_t Index = 0;
  uint32_t Sequence = 0;

  friend constexpr bool operator==(const ObjectId &,
                                   const ObjectId &) = default;
};

/// The translation tables of one process.
class Table {
public:
  /// Processors the tables have room for.
  static constexpr uint32_t MaxProcessors = 256;

  /// Tables for up to \p Capacity objects at once.
  explicit Table(uint32_t Capacity = 65536);
  ~Table();
  Table(const Table &) = delete;
  Table &operator=(const Table &) = delete;

  /// The process's tables.
  static Table &global();

  /// Enters \p Root (taking ownership) as a new object. ENOSPC if full.
  Result<ObjectId> install(std::unique_ptr<RootBase> Root);

  /// Removes object \p Id: later calls fail; its root and reps are freed
  /// once no call can still be using them. EBADF or ESTALE for an id that
  /// names no object.
  Status remove(ObjectId Id);

  /// What a call found for its object.
  struct Lookup {
    /// The rep to call; nullptr if the object is gone (or MustWait).
    void *Rep = nullptr;
    /// The call was let through a swap in progress: end it with leave().
    bool Mediated = false;
    /// A swap is about to move the object, or a lazy swap waits for this
    /// call to run it: leave the quiescence section, awaitSwap(), and look
    /// again.
    bool MustWait = false;
  };

  /// The rep of \p Id for \p Processor, asking the root on a miss. The
  /// caller must be inside a quiescence section and keep it open while it
  /// uses the rep. Ref<T> is the intended user.
  Lookup lookup(ObjectId Id, uint32_t Processor) {
    if (Id.Index >= Capacity || Processor >= NumProcessors) [[unlikely]]
      return {};
    if (Entries[Id.Index].Sequence.load(std::memory_order_acquire) !=
        Id.Sequence) [[unlikely]]
      return {};
    void *Rep = Local[Processor][Id.Index].load(std::memory_order_acquire);
    if (Rep) [[likely]]
      return {Rep, false, false};
    return miss(Id, Processor);
  }

  /// Ends a call lookup() let through a swap.
  void leave(ObjectId Id);

  /// Runs the lazy swap of \p Id if one waits (and the calling thread is
  /// outside every quiescence section), then waits until the swap of \p Id
  /// in progress, if any, no longer holds calls.
  void awaitSwap(ObjectId Id);

  /// Moves state from the old root to the new one during a swap.
  using TransferFn = std::function<Status(RootBase &Old, RootBase &New)>;

  /// Hot swap: replaces the root of \p Id with \p Root while calls go on.
  /// Calls made before the swap began finish on the old object; calls
  /// that arrive meanwhile are let through to the old object until all of
  /// those are over, then held; once no call is inside the old object,
  /// \p Transfer moves its state, the tables are relinked, and the held
  /// calls run on the new object. If \p Transfer fails, the old object
  /// stays (with its state), the new one is dropped, and held calls run on
  /// the old one: the swap is rolled back, no call lost. Swaps of one table
  /// run one at a time. EDEADLK if the calling thread is inside a call
  /// (a quiescence section), which the swap would wait for.
  Status swap(ObjectId Id, std::unique_ptr<RootBase> Root,
              const TransferFn &Transfer);

  /// What a lazy swap runs: normally a swap() of the same object.
  using SwapFn = std::function<Status()>;

  /// Dynamic upgrade, one object at a time: asks for \p Swap to run at the
  /// next use of \p Id instead of now, so objects nobody calls are never
  /// touched. The first call that is not nested in another clustered call
  /// runs it (outside its own quiescence section, as swap() requires)
  /// and then goes on to the object, swapped or, if \p Swap failed, not.
  /// Nested calls meanwhile use the object as it is. A later request
  /// replaces one not yet run; removing the object drops it.
  Status swapOnNextUse(ObjectId Id, SwapFn Swap);

  /// Whether \p Id has a lazy swap waiting for its next use.
  bool swapPending(ObjectId Id) const;

  /// Drops the lazy swap of \p Id not yet run (one already running goes
  /// on).
  void cancelSwapOnNextUse(ObjectId Id);

  /// Objects installed now.
  uint32_t size() const { return Live.load(); }

private:
  /// Where a swap of an entry is.
  enum SwapPhase : uint32_t {
    NoSwap = 0,
    /// New calls go to the old object, counted, while older ones finish.
    Forwarding = 1,
    /// New calls wait (unless their thread is already inside the object).
    Holding = 2,
  };

  struct alignas(64) Entry {
    std::atomic<RootBase *> Root{nullptr};
    /// Odd while the entry holds an object.
    std::atomic<uint32_t> Sequence{0};
    /// A SwapPhase; also the futex calls held by a swap wait on.
    std::atomic<uint32_t> Swap{NoSwap};
    /// Calls let through to the old object during a swap, not yet over.
    std::atomic<uint32_t> InFlight{0};
    /// A lazy swap waiting for the object's next use (owned).
    std::atomic<SwapFn *> Pending{nullptr};
  };

  /// Runs the lazy swap of \p E if one waits and this thread may run it.
  void runPending(Entry &E);

  Lookup miss(ObjectId Id, uint32_t Processor);
  Lookup mediate(Entry &E, ObjectId Id, uint32_t Processor);
  void clearLocal(uint32_t Index);
  /// Ok if \p Id names a live object (with Lock held).
  Status checkLive(ObjectId Id) const;
  void releaseIndex(uint32_t Index);

  uint32_t Capacity;
  std::unique_ptr<Entry[]> Entries;
  /// Local[P][I]: processor P's cached rep of object I; one array per
  /// processor the host can have, allocated when the tables are made.
  std::unique_ptr<std::atomic<void *>[]> Local[MaxProcessors];
  uint32_t NumProcessors;
  std::mutex Lock; ///< Serialises install, remove and a swap's relink.
  std::mutex SwapLock; ///< One swap at a time.
  std::vector<uint32_t> FreeIndices;
  uint32_t NextIndex = 0;
  std::atomic<uint32_t> Live{0};
};

} // namespace k42::cobj

#endif // K42_RUNTIME_COBJ_TABLE_H
