//===- servers/ramfs/RamFile.h - An open ramfs file --------------*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// One open file or directory of ramfs. It holds its inode, so a file
/// unlinked while open keeps its data for the holders (POSIX semantics);
/// the inode goes with the last name and the last open file.
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_RAMFS_RAMFILE_H
#define K42_SERVERS_RAMFS_RAMFILE_H

#include "File.h"
#include "LeaseTable.h"
#include "OpenKeys.h"
#include "RamInode.h"

#include <atomic>
#include <memory>

namespace k42::ramfs {

class RamFileSystem;

/// An open ramfs file.
class RamFile final : public fs::File {
public:
  /// An open of \p Node by process \p Owner, as user \p Uid, counted in
  /// \p Leases (LeaseTable::opened) until the object goes: closed, or
  /// forgotten with its owner.
  RamFile(RamFileSystem &Fs, std::shared_ptr<RamInode> Node,
          std::shared_ptr<LeaseTable> Leases, ProcessId Owner, uint32_t Uid)
      : Fs(Fs), Node(std::move(Node)), Leases(std::move(Leases)), Owner(Owner),
        Uid(Uid), Limit(this->Node->NextCookie) {}
  ~RamFile() override;
  RamFile(const RamFile &) = delete;

  /// A file (not a directory) opened by the name \p Name in \p Dir: its
  /// path (path()) follows that name's renames (moved()). Tree lock held.
  void openedAs(const std::shared_ptr<RamInode> &Dir, std::string Name);
  /// The name \p FromName in \p From went to \p ToName in \p To (tree lock
  /// held exclusively): this open's, if it was opened by it.
  void moved(const RamInode &From, std::string_view FromName,
             const std::shared_ptr<RamInode> &To, const std::string &ToName);

  /// An O_PATH open (LeaseTable::opened's PathOnly, told again at close).
  void markPathOnly() { PathOnly = true; }
  /// An O_NOATIME open: its reads and listings leave the access time.
  void markNoAtime() { NoAtime = true; }

  /// The open's key (OpenKeys), held once by this object, let go with it.
  void keep(std::shared_ptr<OpenKeys> Keys, uint64_t Key) {
    this->Keys = std::move(Keys);
    this->Key = Key;
  }
  RamFile &operator=(const RamFile &) = delete;

  k42::Status pread(uint64_t Offset, uint64_t Count,
                    std::vector<uint8_t> &Data) override;
  k42::Status pwrite(uint64_t Offset, std::span<const uint8_t> Data,
                     uint32_t Flags, uint64_t &End) override;
  k42::Status stat(fs::FileAttr &Attr) override;
  k42::Status truncate(uint64_t Size) override;
  k42::Status punchHole(uint64_t Offset, uint64_t Length) override;
  k42::Status allocate(uint64_t Offset, uint64_t Length) override;
  k42::Status fsync() override;
  k42::Status seekData(uint64_t Offset, uint32_t Whence,
                       uint64_t &Found) override;
  k42::Status memory(int32_t &Fd, uint64_t &Ino) override;
  k42::Status readdir(uint64_t Cookie, uint32_t MaxBytes,
                      std::vector<uint8_t> &Entries, uint64_t &Next) override;
  k42::Status chmod(const k42::Badge &Caller, uint32_t Mode) override;
  k42::Status chown(const k42::Badge &Caller, uint32_t Uid,
                    uint32_t Gid) override;
  k42::Status utimens(const k42::Badge &Caller,
                      const fs::FileTimes &Times) override;
  k42::Status close() override;
  k42::Status path(std::string &Path) override;

  /// A directory's whole listing into \p Entries, as readdir from 0 gives
  /// it, for an open that answers it (fs::WalkData); empty, and no listing
  /// started (a later readdir from 0 is not a rewind), if it does not fit
  /// in fs::OpenDataMax bytes.
  void listAll(std::vector<uint8_t> &Entries);

  /// The d_off after a directory's last entry (Linux's DIR_OFFSET_EOD).
  static constexpr uint64_t EndCookie = 0x7fffffff;

private:
  /// punchHole's and allocate's way: \p Change (RamData's) of \p Length
  /// bytes from \p Offset of a regular file, its times moved.
  k42::Status changeRange(k42::Status (RamData::*Change)(uint64_t, uint64_t),
                          uint64_t Offset, uint64_t Length);

  RamFileSystem &Fs;
  std::shared_ptr<RamInode> Node;
  /// Kept alive by every open file: they may outlive the file system.
  std::shared_ptr<LeaseTable> Leases;
  /// The key this open file holds (FileSystem::reopen), and where.
  std::shared_ptr<OpenKeys> Keys;
  uint64_t Key = 0;
  ProcessId Owner;
  /// The user the file was opened as: a write or truncate through an open
  /// of anyone but root takes the file's set-user-id bit away, as Linux
  /// does for a writer without CAP_FSETID (fs::removePrivileges).
  uint32_t Uid;
  /// A directory's listing: names with cookies from here on were made
  /// after the open or the last rewind and are not listed (tmpfs's rule,
  /// which keeps a scan that makes names from listing them), and whether
  /// a listing started (so that one from 0 again is a rewind).
  std::atomic<uint64_t> Limit;
  std::atomic<bool> Listed{false};
  /// A file's name it was opened by (tree lock), registered in its
  /// inode's Opens while set.
  std::weak_ptr<RamInode> OpenedIn;
  std::string OpenedAs;
  /// In its inode's Opens (set once, by openedAs).
  bool Registered = false;
  bool PathOnly = false;
  bool NoAtime = false;
};

} // namespace k42::ramfs

#endif // K42_SERVERS_RAMFS_RAMFILE_H
