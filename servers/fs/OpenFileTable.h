//===- servers/fs/OpenFileTable.h - A file server's open files ---*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Every open file of a file server, behind one X object. Each open gets a
/// handle-table entry of its own (its owner, its rights, its sequence
/// number), but all entries point at this table, which finds the file by
/// the handle the call came on. A closed handle is removed under the
/// table's lock, so a call racing close finds nothing (ESTALE) instead of a
/// freed object, and a call in flight keeps its file alive through its own
/// reference: no X object is ever deleted under a running call.
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_FS_OPENFILETABLE_H
#define K42_SERVERS_FS_OPENFILETABLE_H

#include "File.h"

#include <k42/ipc/HandleTable.h>
#include <k42/ipc/XObject.h>

#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace k42::fs {

/// The open files of one server, served through handles of \p Table.
class OpenFileTable final : public XObject {
public:
  /// Open files get their handles in \p Table (the server's).
  explicit OpenFileTable(HandleTable &Table) : Table(Table) {}

  /// Enters \p Open for process \p Owner with \p Rights (MetaFile bits)
  /// and returns its handle.
  Result<ObjectHandle> add(std::shared_ptr<File> Open, RightsMask Rights,
                           ProcessId Owner);

  /// Drops every file process \p Owner held (it is gone).
  void forget(ProcessId Owner);

  /// Open handles now.
  size_t size();

  /// Sends an empty notification on the client channel \p To came on;
  /// false if it cannot be told (gone). A file system tells clients so
  /// that their copies of a file are stale (ramfs's leases).
  using NotifyFn = std::function<bool(const Badge &To)>;
  /// How notify() sends (the server's ServiceHost); set before serving.
  void setNotify(NotifyFn Fn) { Notify = std::move(Fn); }
  bool notify(const Badge &To) { return Notify && Notify(To); }

  void dispatch(const CallContext &Context, const PPCPage &Request,
                PPCPage &Reply) override;
  const InterfaceInfo &interfaceInfo() const override;

private:
  struct Entry {
    std::shared_ptr<File> Open;
    ProcessId Owner;
  };
  static uint64_t key(const ObjectHandle &H) {
    return uint64_t(H.Index) << 32 | H.Sequence;
  }

  HandleTable &Table;
  NotifyFn Notify;
  std::mutex Lock;
  std::unordered_map<uint64_t, Entry> Files;
};

} // namespace k42::fs

#endif // K42_SERVERS_FS_OPENFILETABLE_H
