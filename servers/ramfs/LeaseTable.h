//===- servers/ramfs/LeaseTable.h - Single-client leases --------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Who has each ramfs file open, and which client, if any, holds a file's
/// single-client lease (paper 4.5): while it does, that client serves the
/// file from its own copy. A lease is granted only to a client that asks
/// for it when no other client has the file open; any other client's open,
/// or its truncate, unlink or rename of the file by path, revokes it: the
/// holder is sent a notification (a count that moves in its own channel
/// memory) before the conflicting call is answered, so that call's effects
/// can only be seen after the holder could see the revocation. A lease
/// goes with its holder's last open of the file, and with the holder
/// itself (forget). Clients are processes (Badge::Pid): a program after
/// exec is the same client, a fork child another.
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_RAMFS_LEASETABLE_H
#define K42_SERVERS_RAMFS_LEASETABLE_H

#include <k42/ipc/Badge.h>

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace k42::ramfs {

/// The open counts and leases of one file system's files, by inode number.
class LeaseTable {
public:
  /// Tells \p Holder (on the channel its badge names) that lease \p Lease
  /// is revoked; false if it can no longer be told (it is gone, which
  /// revokes the lease just as well).
  using NotifyFn = std::function<bool(const Badge &Holder, uint32_t Lease)>;

  /// Revocations are sent with \p Notify (none without it: a table for
  /// tests that only count them).
  explicit LeaseTable(NotifyFn Notify = {}) : Notify(std::move(Notify)) {}

  /// Records an open of file \p Ino by \p Caller, revoking another
  /// client's lease on it first. With \p WantLease, answers the lease id
  /// (never 0) if no other client has the file open, else 0. \p PathOnly:
  /// an O_PATH open, which reads and writes nothing: it is told of renames
  /// (tellOpeners) but neither revokes a lease nor keeps one from being
  /// granted (a shell's current directory, held so, leaves `ls` of it its
  /// lease).
  uint32_t opened(uint64_t Ino, const Badge &Caller, bool WantLease,
                  bool PathOnly = false);

  /// Records that process \p Pid closed one open of \p Ino (\p PathOnly
  /// as it was opened); its lease goes with its last open.
  void closed(uint64_t Ino, ProcessId Pid, bool PathOnly = false);

  /// \p Caller changes \p Ino by path (truncate, unlink, rename, or a
  /// rename over it; chmod, chown, utimens and link, which change a
  /// reader's attributes): another client's lease is revoked before it
  /// returns.
  void changed(uint64_t Ino, const Badge &Caller);

  /// \p Ino's bytes became memory that clients map (File::memory): stores
  /// through a mapping never pass the server, so the lease is revoked
  /// whoever holds it, the caller included, before it returns.
  void revoke(uint64_t Ino);

  /// Sends every process with \p Ino open that is not in \p Told yet a
  /// notification (a count that moves in its channel memory), adding it to
  /// \p Told: a directory it holds was renamed, or one above it (the
  /// client asks for the folder's path again: File::path). As any
  /// notification does, it takes back the leases the process holds.
  void tellOpeners(uint64_t Ino, std::vector<ProcessId> &Told);

  /// Drops the leases process \p Pid holds (it is gone).
  void forget(ProcessId Pid);

  /// The lease on \p Ino (0 if none), for tests and listings.
  uint32_t lease(uint64_t Ino);
  /// Processes with \p Ino open (O_PATH opens included).
  size_t openers(uint64_t Ino);
  /// Revocations sent so far (including to holders that were gone).
  uint64_t revocations();

private:
  struct File {
    /// Opens by process.
    std::map<ProcessId, uint32_t> Opens;
    /// O_PATH opens by process: told of renames, no part of leases.
    std::map<ProcessId, uint32_t> PathOpens;
    /// Each opener's badge (its channel), for tellOpeners.
    std::map<ProcessId, Badge> Openers;
    /// Non-zero while Holder holds the lease.
    uint32_t Lease = 0;
    Badge Holder;
  };
  /// Takes \p F's lease (Lock held) if a process other than \p Pid holds
  /// it, into \p Holder and \p Id: the caller sends the revocation after
  /// unlocking, before it answers its own caller.
  static bool takeLease(File &F, ProcessId Pid, Badge &Holder, uint32_t &Id);
  void send(const Badge &Holder, uint32_t Id);

  NotifyFn Notify;
  std::mutex Lock;
  std::unordered_map<uint64_t, File> Files;
  uint32_t NextLease = 1;
  uint64_t Revoked = 0;
};

} // namespace k42::ramfs

#endif // K42_SERVERS_RAMFS_LEASETABLE_H
