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

  /// The rep of \p Id for \p Processor, asking the root on a miss; nullptr
  /// if \p Id names no object. The caller must be inside a quiescence
  /// section and keep it open while it uses the rep.
  void *rep(ObjectId Id, uint32_t Processor) {
    if (Id.Index >= Capacity || Processor >= NumProcessors) [[unlikely]]
      return nullptr;
    if (Entries[Id.Index].Sequence.load(std::memory_order_acquire) !=
        Id.Sequence) [[unlikely]]
      return nullptr;
    void *Rep = Local[Processor][Id.Index].load(std::memory_order_acquire);
    if (Rep) [[likely]]
      return Rep;
    return miss(Id, Processor);
  }

  /// The root of \p Id, or nullptr (inside a quiescence section).
  RootBase *root(ObjectId Id);

  /// Drops the cached reps of \p Id on every processor, so the next call
  /// on each asks the root again (after the root changed its distribution,
  /// or to relink after a swap).
  void flush(ObjectId Id);

  /// Replaces the root of \p Id with \p Root, flushing its cached reps;
  /// the old root is freed after quiescence. For hot swap.
  Status replaceRoot(ObjectId Id, std::unique_ptr<RootBase> Root);

  /// Objects installed now.
  uint32_t size() const { return Live.load(); }

private:
  struct alignas(64) Entry {
    std::atomic<RootBase *> Root{nullptr};
    /// Odd while the entry holds an object.
    std::atomic<uint32_t> Sequence{0};
  };

  void *miss(ObjectId Id, uint32_t Processor);
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
  std::mutex Lock; ///< Serialises install, remove, replaceRoot.
  std::vector<uint32_t> FreeIndices;
  uint32_t NextIndex = 0;
  std::atomic<uint32_t> Live{0};
};

} // namespace k42::cobj

#endif // K42_RUNTIME_COBJ_TABLE_H
