//===- servers/ramfs/RamFileSystem.h - The in-memory file system -*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// ramfs: K42's embedded default root, a tree in the server's memory, seen
/// by every K42 process and never by the host. Paths resolve by
/// fs::walkPath (servers/fs/README.md); owners come from the caller's
/// badge. Calls of many clients run at once on ChannelServer threads: the
/// tree takes a reader-writer lock (lookups share it), file data a lock per
/// file.
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_RAMFS_RAMFILESYSTEM_H
#define K42_SERVERS_RAMFS_RAMFILESYSTEM_H

#include "FileSystem.h"
#include "LeaseTable.h"
#include "OpenFileTable.h"
#include "OpenKeys.h"
#include "PathWalk.h"
#include "RamInode.h"
#include "RamShadow.h"

#include <atomic>
#include <initializer_list>
#include <memory>
#include <shared_mutex>

namespace k42::ramfs {

/// The tree and the FileSystem calls on it.
class RamFileSystem final : public fs::FileSystem {
public:
  /// Open files go into \p Files; lease revocations go out through its
  /// notify().
  explicit RamFileSystem(fs::OpenFileTable &Files);

  k42::Status open(const k42::Badge &Caller, std::string_view Path,
                   uint32_t Flags, uint32_t Mode, uint32_t Walk,
                   k42::ObjectHandle &File, fs::FileAttr &Attr,
                   std::vector<uint8_t> &Data, std::string &Restart) override;
  k42::Status reopen(const k42::Badge &Caller, uint64_t Key, uint32_t Flags,
                     k42::ObjectHandle &File, fs::FileAttr &Attr) override;
  k42::Status stat(const k42::Badge &Caller, std::string_view Path,
                   uint32_t Walk, fs::FileAttr &Attr,
                   std::string &Restart) override;
  k42::Status mkdir(const k42::Badge &Caller, std::string_view Path,
                    uint32_t Mode, uint32_t Walk,
                    std::string &Restart) override;
  k42::Status rmdir(const k42::Badge &Caller, std::string_view Path,
                    uint32_t Walk, std::string &Restart) override;
  k42::Status unlink(const k42::Badge &Caller, std::string_view Path,
                     uint32_t Walk, std::string &Restart) override;
  k42::Status rename(const k42::Badge &Caller, std::string_view From,
                     std::string_view To, uint32_t Flags, uint32_t Walk,
                     std::string &Restart) override;
  k42::Status link(const k42::Badge &Caller, std::string_view Existing,
                   std::string_view NewPath, uint32_t Walk,
                   std::string &Restart) override;
  k42::Status setxattr(const k42::Badge &Caller, std::string_view Path,
                       std::string_view Name, std::span<const uint8_t> Value,
                       uint32_t Flags, uint32_t Walk,
                       std::string &Restart) override;
  k42::Status getxattr(const k42::Badge &Caller, std::string_view Path,
                       std::string_view Name, uint32_t Walk,
                       std::vector<uint8_t> &Value,
                       std::string &Restart) override;
  k42::Status listxattr(const k42::Badge &Caller, std::string_view Path,
                        uint32_t Walk, std::vector<uint8_t> &Names,
                        std::string &Restart) override;
  k42::Status removexattr(const k42::Badge &Caller, std::string_view Path,
                          std::string_view Name, uint32_t Walk,
                          std::string &Restart) override;
  k42::Status linkOpen(const k42::Badge &Caller, std::string_view Path,
                       uint64_t Key, uint32_t Walk,
                       std::string &Restart) override;
  k42::Status symlink(const k42::Badge &Caller, std::string_view Target,
                      std::string_view Path, uint32_t Walk,
                      std::string &Restart) override;
  k42::Status readlink(const k42::Badge &Caller, std::string_view Path,
                       uint32_t Walk, std::string &Target,
                       std::string &Restart) override;
  k42::Status chmod(const k42::Badge &Caller, std::string_view Path,
                    uint32_t Mode, uint32_t Walk,
                    std::string &Restart) override;
  k42::Status truncate(const k42::Badge &Caller, std::string_view Path,
                       uint64_t Size, uint32_t Walk,
                       std::string &Restart) override;
  k42::Status utimens(const k42::Badge &Caller, std::string_view Path,
                      const fs::FileTimes &Times, uint32_t Walk,
                      std::string &Restart) override;
  k42::Status chown(const k42::Badge &Caller, std::string_view Path,
                    uint32_t Uid, uint32_t Gid, uint32_t Walk,
                    std::string &Restart) override;
  k42::Status statfs(fs::FsInfo &Info) override;
  /// The file's or directory's stand-in (RamShadow), made at its first
  /// watch (or its directory's).
  k42::Status watch(const k42::Badge &Caller, std::string_view Path,
                    uint32_t Walk, std::string &HostPath,
                    std::string &Restart) override;
  /// FIFOs (S_IFIFO); other types EPERM.
  k42::Status mknod(const k42::Badge &Caller, std::string_view Path,
                    uint32_t Mode, uint32_t Walk,
                    std::string &Restart) override;

  /// What the open files share with the tree.
  std::shared_mutex &treeLock() { return TreeLock; }
  /// \p N's attributes now (tree lock held, shared at least).
  static fs::FileAttr attributes(RamInode &N);
  /// Sets \p N's size (its DataLock held): EFBIG beyond FileMax. With
  /// \p Tell, its watchers hear of it now (IN_MODIFY); else the caller
  /// tells them (an open's O_TRUNC, after the open's IN_OPEN).
  static k42::Status resize(RamInode &N, uint64_t Size, bool Tell = true);
  /// Marks \p N written now (its DataLock held): a write moves the
  /// modification and change times, as on Linux.
  static void modified(RamInode &N);
  /// chown and fchown of \p N for \p Caller (tree lock held exclusively):
  /// Linux's rules (fs::mayChown), the change time moves.
  static k42::Status chownNode(RamInode &N, const k42::Badge &Caller,
                               uint32_t Uid, uint32_t Gid);
  /// Applies \p Times to \p N (tree lock held exclusively).
  static void setTimes(RamInode &N, const fs::FileTimes &Times);

  /// The largest file ramfs keeps: Linux's (MAX_LFS_FILESIZE), as tmpfs.
  /// A file grown past a page's hole is in its memfd, sparse (RamData), so
  /// a size costs nothing; before, 4 GiB, from when the bytes' vector held
  /// every zero (`truncate -s 16G` was EFBIG).
  static constexpr uint64_t FileMax = uint64_t(INT64_MAX);

  using Node = std::shared_ptr<RamInode>;
  /// The root directory.
  Node root() { return Root; }
  /// Who has each file open, and the single-client leases.
  LeaseTable &leases() { return *Leases; }
  /// The open files' keys (FileSystem::reopen).
  OpenKeys &openKeys() { return *Keys; }

private:
  using Walked = fs::WalkResult<Node>;
  /// Walks \p Path for \p Caller; an error, a restart (filled into
  /// \p Restart, value \p Which) or ok with \p R filled.
  k42::Status walk(const k42::Badge &Caller, std::string_view Path,
                   uint32_t Walk, Walked &R, std::string &Restart,
                   fs::Outcome Which = fs::RestartFirst);
  /// The tree lock held exclusively (a call that changes an inode's
  /// attributes); onFile's default holds it shared.
  using Exclusive = std::unique_lock<std::shared_mutex>;
  /// The way in of the calls on one existing file (stat, readlink,
  /// truncate, chmod, utimens, chown, watch, the extended attributes):
  /// \p Do(inode) for the file \p Path walks to, the tree lock held as
  /// \p TreeLockKind does, or the walk's own answer (a restart, ENOENT).
  template <typename TreeLockKind = std::shared_lock<std::shared_mutex>,
            typename Fn>
  k42::Status onFile(const k42::Badge &Caller, std::string_view Path,
                     uint32_t Walk, std::string &Restart, Fn &&Do);
  /// link's and linkOpen's last step: \p N entered where walk \p B
  /// ended, with Linux's checks (EPERM for a directory, EEXIST, EACCES,
  /// ENOENT in a removed folder); its link count and change time move.
  /// Tree lock held exclusively.
  k42::Status addLink(const Node &N, Walked &B, const k42::Badge &Caller);
  /// The opens of file \p N made by the name \p FromName in \p FromDir
  /// follow it to \p ToName in \p ToDir (their paths: File::path); none
  /// for a folder. Tree lock held exclusively.
  static void opensFollow(RamInode &N, const RamInode &FromDir,
                          const std::string &FromName, const Node &ToDir,
                          const std::string &ToName);
  /// Every process holding one of \p Roots, or anything below a folder
  /// among them, open is told its paths changed before the call returns
  /// (LeaseTable::tellOpeners, each process once). Tree lock held.
  void tellOpenersBelow(std::initializer_list<RamInode *> Roots);
  /// rename's RENAME_EXCHANGE of the files at walks \p A and \p B (both
  /// must exist), with Linux's checks. Tree lock held exclusively.
  k42::Status exchange(const k42::Badge &Caller, Walked &A, Walked &B);
  /// A new inode of type and mode \p Mode owned by \p Caller.
  Node make(uint32_t Mode, const k42::Badge &Caller);
  /// make() of an inode to be entered in \p Dir, with Linux's rules for a
  /// set-group-id directory: the new inode takes its group, a directory
  /// its set-group-id bit; a file's set-group-id bit with group execute is
  /// dropped when the caller is neither root nor of the file's group.
  Node makeIn(const RamInode &Dir, uint32_t Mode, const k42::Badge &Caller);
  /// Enters \p Child as \p Name in \p Dir (tree lock held exclusively),
  /// revoking another client's lease on \p Dir (its attributes change).
  /// \p Renaming: rename's own (RamShadow::renamed mirrors it whole).
  void enter(RamInode &Dir, const std::string &Name, const Node &Child,
             const k42::Badge &Caller, bool Renaming = false);
  /// Removes \p Name from \p Dir (tree lock held exclusively), revoking
  /// another client's lease on \p Dir and on the file.
  void remove(RamInode &Dir, std::string_view Name, const k42::Badge &Caller,
              bool Renaming = false);
  /// Why \p Caller may not remove or replace \p Victim in \p Dir, or 0:
  /// EACCES without write and search on \p Dir, EPERM by the sticky
  /// bit's rule (Linux's may_delete, checked before the victim's type).
  int unlinkRefusal(RamInode &Dir, RamInode &Victim, const k42::Badge &Caller);

  fs::OpenFileTable &Files;
  std::shared_ptr<LeaseTable> Leases;
  /// Where watched files' stand-ins go (tree lock), made at the first.
  std::shared_ptr<RamShadowFolder> ShadowFolder;
  /// Kept alive by every open file, as Leases.
  std::shared_ptr<OpenKeys> Keys = std::make_shared<OpenKeys>();
  std::shared_mutex TreeLock;
  Node Root;
  std::atomic<uint64_t> NextIno{1};
};

} // namespace k42::ramfs

#endif // K42_SERVERS_RAMFS_RAMFILESYSTEM_H
