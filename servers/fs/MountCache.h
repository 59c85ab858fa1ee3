//===- servers/fs/MountCache.h - The mount table, cached in a client -*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A client's copy of the mount-point table (servers/name/MountPoints.h),
/// as K42 cached it in each application: refresh() asks only for the
/// version and fetches the table when it changed; match() finds the mount
/// of an absolute path by longest prefix on component boundaries, in the
/// client, without a call. It also holds the path arithmetic of the
/// protocol: normalising a path and turning a server's "restart at" answer
/// into the absolute path to resolve next.
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_FS_MOUNTCACHE_H
#define K42_SERVERS_FS_MOUNTCACHE_H

#include "MountPoints.h"

#include <k42/ipc/Status.h>

#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace k42::fs {

/// One mount as the client uses it.
struct Mount {
  std::string Path;   ///< Canonical and absolute: "/", "/usr".
  std::string Object; ///< The file system object in its server.
  uint32_t Server = 0;
  uint32_t Flags = 0;
  /// No other mount lies below this one (the client passes WalkSealed).
  bool Sealed = true;
};

/// The cached table.
class MountCache {
public:
  /// How to ask the table's version and fetch it (a StubMountPoints in a
  /// process, the table itself in tests).
  using VersionFn = std::function<Status(uint64_t &Version)>;
  using ListFn =
      std::function<Status(std::vector<name::MountEntry> &, uint64_t &Version)>;

  MountCache(VersionFn Version, ListFn List)
      : AskVersion(std::move(Version)), List(std::move(List)) {}

  /// Checks the version (one call) and fetches the table if it changed.
  Status refresh();

  /// The mount of absolute, normalised \p Path, and the rest of the path
  /// inside it (relative, keeping a trailing '/'). ENOENT if none.
  Status match(std::string_view Path, Mount &M, std::string &Rest);

  /// The version the cache holds (0: never fetched).
  uint64_t version();
  /// How many times the table was fetched (for tests and statistics).
  uint64_t fetches();

  /// \p Path with '//' collapsed and '.' dropped; '..' stays (only the
  /// server that walks it knows where it leads); a trailing '/' (or '/.')
  /// stays as one '/'. \p Path must be absolute.
  static std::string normalize(std::string_view Path);

  /// Where to resolve next when the server of the mount at \p MountPath
  /// answered "restart at \p Restart": an absolute Restart as is, a
  /// relative one from the mount point, its leading '..' taken off the
  /// mount path (which is canonical, so that is exact; never above '/').
  static std::string restartPath(std::string_view MountPath,
                                 std::string_view Restart);

private:
  VersionFn AskVersion;
  ListFn List;
  std::mutex Lock;
  std::vector<Mount> Mounts; ///< Longest path first.
  uint64_t Version = 0;
  uint64_t Fetches = 0;
};

} // namespace k42::fs

#endif // K42_SERVERS_FS_MOUNTCACHE_H
