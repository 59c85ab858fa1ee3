//===- servers/ramfs/OpenKeys.h - Open files named by a key -----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The keys of ramfs's open files (fs::FileAttr::OpenKey): every open gets
/// one, random, which its client keeps with the descriptor; another
/// process holding that descriptor (a fork child, a program passed it)
/// opens the same file again by the key (FileSystem::reopen), as Linux's
/// descriptor still names its inode after a rename or an unlink. The key
/// lives while any open file made with it does (the first open and the
/// reopens), so the last process to close the file ends it.
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_RAMFS_OPENKEYS_H
#define K42_SERVERS_RAMFS_OPENKEYS_H

#include "RamInode.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace k42::ramfs {

/// The live keys of one server's open files. Thread-safe.
class OpenKeys {
public:
  /// A new key for an open of \p Node with access \p Access (O_RDONLY,
  /// O_WRONLY, O_RDWR, or O_PATH for an open for nothing), held once.
  uint64_t add(std::shared_ptr<RamInode> Node, uint32_t Access);

  /// The file of \p Key, held once more for a reopen with access
  /// \p Access: null if the key is not live (ESTALE), and \p Denied set if
  /// \p Access asks more than the key's open had (EACCES).
  std::shared_ptr<RamInode> hold(uint64_t Key, uint32_t Access, bool &Denied);

  /// Lets go of one hold of \p Key (an open file made with it went); the
  /// key goes with its last.
  void drop(uint64_t Key);

  /// Live keys now.
  size_t size();

private:
  struct Entry {
    std::shared_ptr<RamInode> Node;
    uint32_t Access = 0;
    uint64_t Holds = 0;
    /// The watched file's stand-in opened with the open (RamShadow::open),
    /// or -1.
    int Shadow = -1;
  };
  std::mutex Lock;
  std::unordered_map<uint64_t, Entry> Keys;
};

} // namespace k42::ramfs

#endif // K42_SERVERS_RAMFS_OPENKEYS_H
