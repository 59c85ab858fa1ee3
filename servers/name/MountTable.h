//===- servers/name/MountTable.h - The mount-point table ---------*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The name server's implementation of MountPoints: mount path -> (server,
/// object, flags), with a version that every change bumps. The version is
/// an atomic so the clients' frequent check takes no lock.
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_NAME_MOUNTTABLE_H
#define K42_SERVERS_NAME_MOUNTTABLE_H

#include "MountPoints.h"

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>

namespace k42::name {

/// The mounts and their version.
class MountTable final : public MountPoints {
public:
  k42::Status mount(std::string_view Path, std::string_view Object,
                    uint32_t Flags, const k42::Badge &Caller) override;
  k42::Status unmount(std::string_view Path, const k42::Badge &Caller) override;
  k42::Status version(uint64_t &Version) override;
  k42::Status list(std::vector<MountEntry> &Entries,
                   uint64_t &Version) override;
  k42::Status watch(uint64_t &Version, const k42::Badge &Caller) override;

  /// Tells one watcher of a change; false if it can no longer be told
  /// (its channel is gone), and it is forgotten.
  using NotifyFn = std::function<bool(const k42::Badge &Watcher)>;

  /// How watchers are told (the server's notifier for their channel);
  /// without it watch() is version().
  void setNotify(NotifyFn Fn) { Notify = std::move(Fn); }

  /// Removes every mount of process \p Pid (it is gone).
  void forget(ProcessId Pid);

  /// Whether \p Path is absolute and canonical, as mount paths must be.
  static bool isCanonical(std::string_view Path);

private:
  /// Tells every watcher of a change. Called without Lock held.
  void changed();

  std::mutex Lock;
  /// Watching channels: (process, channel) of the caller's badge.
  std::set<std::pair<ProcessId, uint32_t>> Watchers;
  NotifyFn Notify;
  std::map<std::string, MountEntry, std::less<>> Mounts;
  std::atomic<uint64_t> Version{1};
};

} // namespace k42::name

#endif // K42_SERVERS_NAME_MOUNTTABLE_H
