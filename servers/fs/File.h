//===- servers/fs/File.h - An open file --------------------------*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The interface of a file or directory that FileSystem::open returned. The
/// file position is the client's (it lives in the personality's FileLinux
/// object, as in K42), so reads and writes carry their offset. The handle's
/// rights are what the open's access mode allowed.
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_FS_FILE_H
#define K42_SERVERS_FS_FILE_H

#include "FsTypes.h"

#include <k42/idl.h>

#include <cstdint>
#include <span>
#include <vector>

namespace k42::fs {

/// An open file. Read calls need `read`, calls that change it `write`.
class K42_EXPORT K42_RIGHTS(read, write) K42_VERSION(1) File {
public:
  virtual ~File() = default;

  /// Up to \p Count bytes (at most TransferMax) from \p Offset into
  /// \p Data; the value is how many (0 at the end). EISDIR on a directory.
  K42_REQUIRES(read)
  virtual k42::Status pread(uint64_t Offset, uint64_t Count,
                            std::vector<uint8_t> &Data) = 0;

  /// Writes \p Data at \p Offset (at the end with WriteAppend in
  /// \p Flags; WriteQueried: the client showed the file's times since its
  /// last change); the value is how many bytes, \p End the offset after
  /// them.
  K42_REQUIRES(write)
  virtual k42::Status pwrite(uint64_t Offset, std::span<const uint8_t> Data,
                             uint32_t Flags, uint64_t &End) = 0;

  /// The file's attributes (fstat).
  virtual k42::Status stat(FileAttr &Attr) = 0;

  /// Sets the size (ftruncate).
  K42_REQUIRES(write)
  virtual k42::Status truncate(uint64_t Size) = 0;

  /// Gives back the space of \p Length bytes from \p Offset that lie
  /// within the file (fallocate's FALLOC_FL_PUNCH_HOLE, with KEEP_SIZE):
  /// they read as zeros after, and the size stays. EOPNOTSUPP where the
  /// file system cannot.
  K42_REQUIRES(write)
  virtual k42::Status punchHole(uint64_t Offset, uint64_t Length) = 0;

  /// Reserves the space of \p Length bytes from \p Offset (fallocate,
  /// with KEEP_SIZE: the caller sets a new size apart): counted in the
  /// file's blocks, and ENOSPC now rather than at a later write.
  /// EOPNOTSUPP where the file system cannot.
  K42_REQUIRES(write)
  virtual k42::Status allocate(uint64_t Offset, uint64_t Length) = 0;

  /// Makes what was written durable (fsync); a no-op for ramfs.
  virtual k42::Status fsync() = 0;

  /// lseek's SEEK_DATA or SEEK_HOLE (\p Whence) from \p Offset: in \p Found
  /// the first byte of data, or of a hole, at or after it (the end of the
  /// file is a hole). ENXIO at or past the end, and for SEEK_DATA in a hole
  /// that runs to it; EINVAL for another \p Whence. A file system that
  /// keeps no map of its holes answers as Linux's generic_file_llseek_size:
  /// all of the file is data.
  virtual k42::Status seekData(uint64_t Offset, uint32_t Whence,
                               uint64_t &Found) = 0;

  /// The file's bytes as host memory, for mmap: the server keeps them in
  /// a memfd from now on (made at the first such call), so that every
  /// client mapping, MAP_SHARED or MAP_PRIVATE, shares its pages with the
  /// server's reads, writes and truncates. Descriptors cannot travel in a
  /// PPC page: \p Fd is the server's own descriptor of the memfd, which
  /// the client opens anew as /proc/<server pid>/fd/<Fd> with the access
  /// its open allows, and \p Ino the memfd's host inode number, to check
  /// that open found it. ENODEV on anything but a regular file, and from a
  /// server whose files are not memory (hostfs).
  K42_REQUIRES(read)
  virtual k42::Status memory(int32_t &Fd, uint64_t &Ino) = 0;

  /// Directory entries from \p Cookie on, as getdents64 records (struct
  /// linux_dirent64: d_ino, d_off, d_reclen, d_type, d_name) filling at
  /// most \p MaxBytes; each d_off is the cookie of the next entry and
  /// \p Next the cookie to continue from. The value is the bytes given, 0
  /// at the end. Cookie 0 is the start; ENOTDIR on a file, EINVAL if
  /// \p MaxBytes cannot hold the next record.
  K42_REQUIRES(read)
  virtual k42::Status readdir(uint64_t Cookie, uint32_t MaxBytes,
                              std::vector<uint8_t> &Entries,
                              uint64_t &Next) = 0;

  /// fchmod: owner or root only, whatever the handle's rights.
  virtual k42::Status chmod(K42_CALLER const k42::Badge &Caller,
                            uint32_t Mode) = 0;

  /// fchown: as FileSystem::chown, whatever the handle's rights.
  virtual k42::Status chown(K42_CALLER const k42::Badge &Caller, uint32_t Uid,
                            uint32_t Gid) = 0;

  /// futimens: owner or root, or (UTIME_NOW only) a writer.
  virtual k42::Status utimens(K42_CALLER const k42::Badge &Caller,
                              const FileTimes &Times) = 0;

  /// Closes this handle (close of the last descriptor): the handle is
  /// revoked, and an unlinked file goes when its last handle does.
  virtual k42::Status close() = 0;

  /// The open file's path now, from its mount's root ("" for the root, no
  /// leading '/'), as Linux's d_path says: a directory renamed since it
  /// was opened (or moved with a directory above it) is where it is now, a
  /// file by the name it was opened by, followed the same way. The server
  /// tells the client when that may have changed (a notification on its
  /// channel). ENOENT once that name is gone (a removed directory, an
  /// unlinked name), ENOSYS from a server that cannot say (or a file
  /// opened again by its key).
  virtual k42::Status path(std::string &Path) = 0;
};

} // namespace k42::fs

#endif // K42_SERVERS_FS_FILE_H
