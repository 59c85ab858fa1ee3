//===- runtime/include/k42/ipc/HandleTable.h - Server handles ---*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A server's table of exported objects (K42's XHandle table): each entry
/// holds the X object, the process the entry was given to, that process's
/// rights and a sequence number. Every call resolves its handle here before
/// anything else, so stale, forged and under-privileged handles stop here.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_IPC_HANDLETABLE_H
#define K42_RUNTIME_IPC_HANDLETABLE_H

#include "k42/ipc/Badge.h"
#include "k42/ipc/ObjectHandle.h"
#include "k42/ipc/Result.h"
#include "k42/ipc/Status.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace k42 {

class XObject;

/// A resolved handle: what a call may do.
struct HandleEntry {
  XObject *Object = nullptr;
  RightsMask Rights = 0;
  ProcessId Owner = 0;
};

/// The exported objects of one endpoint.
class HandleTable {
public:
  /// A table whose handles name endpoint \p Endpoint and which holds at most
  /// \p Capacity entries (the storage never moves, so lookups take no lock).
  explicit HandleTable(uint64_t Endpoint = 0, uint32_t Capacity = 4096);
  ~HandleTable();

  /// Makes a new entry for \p Object, usable by process \p Owner with
  /// \p Rights. Fails with ENOSPC when the table is full.
  Result<ObjectHandle> insert(XObject &Object, RightsMask Rights,
                              ProcessId Owner, ProcessId Grantor = 0);

  /// Gives process \p To access to the object behind \p From with
  /// \p Rights, which must be a subset of what \p Caller holds through
  /// \p From (PermissionDenied otherwise). K42's giveAccess. One process's
  /// grants that are still live may fill at most a sixteenth of the table
  /// (EDQUOT beyond), so no client can exhaust it for the others.
  Result<ObjectHandle> giveAccess(const ObjectHandle &From,
                                  const Badge &Caller, RightsMask Rights,
                                  ProcessId To);

  /// Invalidates \p Handle: later calls on it fail with StaleHandle.
  Status revoke(const ObjectHandle &Handle);

  /// Revokes every entry given to process \p Owner (it exited or died);
  /// returns how many.
  uint32_t revokeOwner(ProcessId Owner);

  /// Revokes \p Handle on behalf of \p Caller, who must hold it or have
  /// given it (PermissionDenied otherwise, BadHandle if it names nothing).
  Status revokeFor(const ObjectHandle &Handle, const Badge &Caller);

  /// Resolves \p Handle for a call by \p Caller.
  /// Inline: it is on every call's path.
  Status lookup(const ObjectHandle &Handle, const Badge &Caller,
                HandleEntry &Entry) const;

  /// The endpoint handles of this table name.
  uint64_t endpoint() const { return Endpoint; }

private:
  /// A small seqlock: writers (under Lock) zero Sequence, write the fields,
  /// then publish a new non-zero Sequence; a reader accepts what it read
  /// only if Sequence before and after matches the handle's.
  struct Slot {
    std::atomic<uint32_t> Sequence{0};
    std::atomic<XObject *> Object{nullptr};
    std::atomic<RightsMask> Rights{0};
    std::atomic<ProcessId> Owner{0};
    /// The process whose giveAccess made the entry (0: the server).
    std::atomic<ProcessId> Grantor{0};
    /// The sequence the next use of this slot publishes; never 0.
    uint32_t NextSequence = 1;
  };

  /// Empties slot \p Index (with Lock held) and frees it.
  void clear(uint32_t Index);
  uint32_t maxGrants() const { return Capacity / 16 ? Capacity / 16 : 1; }

  uint64_t Endpoint;
  uint32_t Capacity;
  std::unique_ptr<Slot[]> Slots;
  /// Live entries each process made with giveAccess.
  std::unordered_map<ProcessId, uint32_t> Grants;
  std::mutex Lock; ///< Serialises insert, giveAccess and revoke.
  std::vector<uint32_t> FreeList;
  uint32_t Used = 0;
};

inline Status HandleTable::lookup(const ObjectHandle &Handle,
                                 const Badge &Caller,
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

#endif // K42_RUNTIME_IPC_HANDLETABLE_H
