//===- servers/name/MountPoints.h - The mount-point table --------*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// K42's MountPointServer (FREENIX 2003, section 4.5): a prefix table from
/// mount paths (/, /usr, /tmp...) to the file server serving each, kept by
/// the name server and cached in every client. Every change bumps a
/// version, so a client checks its cache with one cheap call and fetches
/// the table only when it changed. A file server mounts itself: the entry
/// holds the caller's badge, and a process's mounts go when it does.
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_NAME_MOUNTPOINTS_H
#define K42_SERVERS_NAME_MOUNTPOINTS_H

#include <k42/idl.h>

#include <cstdint>
#include <string_view>
#include <vector>

namespace k42::name {

/// The longest mount path and object path a table entry holds (with NUL).
inline constexpr uint32_t MountPathCapacity = 128;
inline constexpr uint32_t MountObjectCapacity = 96;

/// Bits of MountEntry::Flags.
enum MountFlags : uint32_t {
  /// The file system refuses changes (EROFS); clients may say so early.
  MountReadOnly = 1,
};

/// One mount: the file system object \p Object of process \p Server
/// (KernelLink::connectProcess(Server, Object)) serves \p Path.
struct MountEntry {
  char Path[MountPathCapacity];
  char Object[MountObjectCapacity];
  uint32_t Server;
  uint32_t Flags;
};

/// The mount table. `read` to look, `mount` to change it.
class K42_EXPORT K42_RIGHTS(read, mount) K42_DEFAULT_REQUIRES(read)
    K42_VERSION(1) MountPoints {
public:
  virtual ~MountPoints() = default;

  /// Mounts the caller's object \p Object at absolute, canonical \p Path
  /// (no '.', '..', '//' or trailing '/'). EBUSY if another process has it.
  K42_REQUIRES(mount)
  virtual k42::Status mount(std::string_view Path, std::string_view Object,
                            uint32_t Flags,
                            K42_CALLER const k42::Badge &Caller) = 0;

  /// Removes the caller's mount at \p Path (EPERM if it is another's).
  K42_REQUIRES(mount)
  virtual k42::Status unmount(std::string_view Path,
                              K42_CALLER const k42::Badge &Caller) = 0;

  /// The table's version: it changes whenever the table does.
  virtual k42::Status version(uint64_t &Version) = 0;

  /// The whole table and its version.
  virtual k42::Status list(std::vector<MountEntry> &Entries,
                           uint64_t &Version) = 0;

  /// The table's version, as version() gives it, and from now on a
  /// notification on the caller's channel at every change (its ring's head
  /// moves; the message says nothing more), for as long as the channel
  /// lives. A client that watches learns of changes with a load from its
  /// own channel's memory instead of a call per path (the Linux
  /// personality does, runtime/linux/FsBridge.cpp).
  virtual k42::Status watch(uint64_t &Version,
                            K42_CALLER const k42::Badge &Caller) = 0;
};

} // namespace k42::name

#endif // K42_SERVERS_NAME_MOUNTPOINTS_H
