//===- servers/ramfs/RamInode.h - One file of ramfs --------------*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A ramfs inode: a directory, a regular file, a symlink or a FIFO (a
/// name only: its pipe is the pipe server's while it has openers), held by
/// shared_ptr from the directories that name it and from the open files
/// that use it, so an unlinked file lives on while it is open. The tree
/// (names, parents, modes, owners, link counts) is guarded by the file
/// system's tree lock; a file's data, size and times by its own DataLock
/// (always taken after the tree lock).
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_RAMFS_RAMINODE_H
#define K42_SERVERS_RAMFS_RAMINODE_H

#include "FsTypes.h"
#include "RamData.h"

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace k42::ramfs {

class RamFile;
class RamShadow;

/// One file.
struct RamInode {
  RamInode() = default;
  /// Lets its stand-in go, if it has one, and its host lock files
  /// (LockFiles).
  ~RamInode();
  RamInode(const RamInode &) = delete;
  RamInode &operator=(const RamInode &) = delete;

  /// A directory's entry: the inode and its place in readdir order.
  struct Entry {
    std::shared_ptr<RamInode> Node;
    uint64_t Cookie;
  };

  std::mutex DataLock;
  fs::FileAttr Attr;
  /// Whether a client has read the times since the last change
  /// (RamClock: the next change in the same tick takes a fine time).
  std::atomic<bool> TimesQueried{false};

  /// A regular file's bytes (DataLock): the server's heap, or the memfd
  /// its mappings share once a client maps it.
  RamData Data;
  /// A symlink's text.
  std::string Target;
  /// A directory's entries by name, the same by cookie (each name's
  /// creation: cookies only grow, and readdir lists them newest first as
  /// tmpfs does, so a reader never sees an entry twice), and the directory
  /// holding this one (a directory has exactly one).
  std::map<std::string, Entry, std::less<>> Names;
  std::map<uint64_t, std::string> ByCookie;
  uint64_t NextCookie = 2; ///< 0 and 1 are '.' and '..'.
  std::weak_ptr<RamInode> Parent;
  /// Extended attributes by name (`user.` and `trusted.`), DataLock.
  std::map<std::string, std::vector<uint8_t>, std::less<>> Xattrs;
  /// An O_TMPFILE file made without O_EXCL, not yet linked: linkOpen may
  /// give it a name (Linux's I_LINKABLE). Tree lock.
  bool Linkable = false;
  /// The file's host stand-in once it is watched (RamShadow), set once
  /// with the tree lock held exclusively, owned by the inode.
  std::atomic<RamShadow *> Shadow{nullptr};
  /// A file's open files (OpensLock: they go without the tree lock), so a
  /// rename moves the name each was opened by (RamFile::path).
  std::mutex OpensLock;
  std::vector<RamFile *> Opens;

  bool isDir() const { return S_ISDIR(Attr.Mode); }
  /// \p Child's name in this directory (tree lock held), or null: a
  /// directory's one name in its parent, found by a scan.
  const std::string *nameOf(const RamInode &Child) const {
    for (auto &[Name, E] : Names)
      if (E.Node.get() == &Child)
        return &Name;
    return nullptr;
  }
  bool isSymlink() const { return S_ISLNK(Attr.Mode); }
  bool isRegular() const { return S_ISREG(Attr.Mode); }
};

} // namespace k42::ramfs

#endif // K42_SERVERS_RAMFS_RAMINODE_H
