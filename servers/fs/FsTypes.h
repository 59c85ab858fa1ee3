//===- servers/fs/FsTypes.h - What file servers and clients exchange -*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The plain data of the file-system protocol (FileSystem.h, File.h): file
/// attributes that map 1:1 to struct stat, times for utimens, the statfs
/// figures, and the words that say how a path call ended. They cross PPC
/// pages as they are, so they are trivially copyable and 8-aligned.
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_FS_FSTYPES_H
#define K42_SERVERS_FS_FSTYPES_H

#include <cstddef>
#include <cstdint>
#include <sys/stat.h>
#include <sys/statfs.h>

namespace k42::fs {

/// A file's attributes, field for field struct stat (x86-64), so the
/// personality fills a stat buffer without interpretation.
struct FileAttr {
  uint64_t Dev = 0;
  uint64_t Ino = 0;
  uint64_t Nlink = 0;
  uint32_t Mode = 0; ///< Type and permission bits, as st_mode.
  uint32_t Uid = 0;
  uint32_t Gid = 0;
  /// Non-zero: the open that answered these attributes holds the file's
  /// single-client lease (asked for with WalkLease), this lease id. Zero
  /// in every other answer.
  uint32_t Lease = 0;
  uint64_t Rdev = 0;
  int64_t Size = 0;
  int64_t Blksize = 4096;
  int64_t Blocks = 0; ///< 512-byte blocks.
  int64_t AtimeSec = 0, AtimeNsec = 0;
  int64_t MtimeSec = 0, MtimeNsec = 0;
  int64_t CtimeSec = 0, CtimeNsec = 0;
  /// When the file was made (statx's STATX_BTIME, which struct stat has
  /// no room for); both zero: not known (a host file's, read by stat).
  int64_t BtimeSec = 0, BtimeNsec = 0;
  /// Non-zero in an open's answer from a server that can open the same
  /// file again by it (FileSystem::reopen): the key of this open file,
  /// which its holders keep with the descriptor, so another process that
  /// inherits or is passed the descriptor reaches the file the open
  /// found, renamed or unlinked since. Zero in every other answer.
  uint64_t OpenKey = 0;
};

/// \p A as a struct stat.
inline struct ::stat toStat(const FileAttr &A) {
  struct ::stat S = {};
  S.st_dev = A.Dev;
  S.st_ino = A.Ino;
  S.st_nlink = A.Nlink;
  S.st_mode = A.Mode;
  S.st_uid = A.Uid;
  S.st_gid = A.Gid;
  S.st_rdev = A.Rdev;
  S.st_size = A.Size;
  S.st_blksize = A.Blksize;
  S.st_blocks = A.Blocks;
  S.st_atim = {A.AtimeSec, A.AtimeNsec};
  S.st_mtim = {A.MtimeSec, A.MtimeNsec};
  S.st_ctim = {A.CtimeSec, A.CtimeNsec};
  return S;
}

/// A struct stat as attributes (hostfs reports the host's).
inline FileAttr fromStat(const struct ::stat &S) {
  FileAttr A;
  A.Dev = S.st_dev;
  A.Ino = S.st_ino;
  A.Nlink = S.st_nlink;
  A.Mode = S.st_mode;
  A.Uid = S.st_uid;
  A.Gid = S.st_gid;
  A.Rdev = S.st_rdev;
  A.Size = S.st_size;
  A.Blksize = S.st_blksize;
  A.Blocks = S.st_blocks;
  A.AtimeSec = S.st_atim.tv_sec;
  A.AtimeNsec = S.st_atim.tv_nsec;
  A.MtimeSec = S.st_mtim.tv_sec;
  A.MtimeNsec = S.st_mtim.tv_nsec;
  A.CtimeSec = S.st_ctim.tv_sec;
  A.CtimeNsec = S.st_ctim.tv_nsec;
  return A;
}

/// Access and modification times for utimens, with utimensat's
/// UTIME_NOW and UTIME_OMIT in the nanosecond fields.
struct FileTimes {
  int64_t AtimeSec = 0, AtimeNsec = UTIME_NOW;
  int64_t MtimeSec = 0, MtimeNsec = UTIME_NOW;
};

/// What statfs reports, field for field struct statfs.
struct FsInfo {
  int64_t Type = 0;
  int64_t Bsize = 4096;
  uint64_t Blocks = 0, Bfree = 0, Bavail = 0;
  uint64_t Files = 0, Ffree = 0;
  int64_t Namelen = 255;
  int64_t Frsize = 4096;
  int64_t Flags = 0;
};

/// The cookie a readdir answers after \p Bytes of getdents64 records at
/// \p Entries read from \p Cookie: the last record's d_off (\p Cookie if
/// there is none). hostfs's readdir and the personality's read of the
/// same host folder (FsBridge::readdirOnHost) use it alike, so a listing
/// begun by one goes on in the other.
inline uint64_t nextDirCookie(const void *Entries, size_t Bytes,
                              uint64_t Cookie) {
  const auto *At = static_cast<const unsigned char *>(Entries);
  uint64_t Next = Cookie;
  for (size_t Off = 0; Off + 19 <= Bytes;) {
    uint16_t Length;
    __builtin_memcpy(&Next, At + Off + 8, 8);
    __builtin_memcpy(&Length, At + Off + 16, 2);
    if (Length == 0)
      break;
    Off += Length;
  }
  return Next;
}

/// A struct statfs as a file system's figures (hostfs reports the
/// host's; the personality answers the same for a read-only host
/// directory's file without asking hostfs).
inline FsInfo fromStatfs(const struct ::statfs &F) {
  FsInfo Info;
  Info.Type = F.f_type;
  Info.Bsize = F.f_bsize;
  Info.Blocks = F.f_blocks;
  Info.Bfree = F.f_bfree;
  Info.Bavail = F.f_bavail;
  Info.Files = F.f_files;
  Info.Ffree = F.f_ffree;
  Info.Namelen = F.f_namelen;
  Info.Frsize = F.f_frsize;
  Info.Flags = F.f_flags;
  return Info;
}

/// How a successful path call ended (its Status::value()). Done: the
/// server did it. RestartFirst/RestartSecond: the first or second path of
/// the call leads out of this server (an absolute symlink, a '..' above the
/// mount root, or a '..' or symlink that may cross into another mount); the
/// call's Restart string says where to resolve it again, and nothing was
/// done. See servers/fs/README.md.
enum Outcome : int64_t { Done = 0, RestartFirst = 1, RestartSecond = 2 };

/// Bits of a path call's Walk argument.
enum WalkFlags : uint32_t {
  /// Do not follow a symlink in the last component (lstat, O_NOFOLLOW,
  /// AT_SYMLINK_NOFOLLOW).
  WalkNoFollow = 1,
  /// The client knows no other mount lies below this one: the server may
  /// resolve '..' and symlinks itself as long as they stay inside it.
  /// Without it, every '..' and symlink comes back as a restart, so that
  /// the client sees mount points the walk reaches.
  WalkSealed = 2,
  /// open only: the client asks for the file's single-client lease, to
  /// serve the file from a copy of its own until the server revokes it
  /// (servers/ramfs/README.md). A server may refuse (FileAttr::Lease 0).
  WalkLease = 4,
  /// open only, for reading: the client reads the file from the host
  /// itself (a read-only hostfs mount whose host directory it has checked:
  /// runtime/linux/README.md), so a server that can answers Done with the
  /// attributes and no handle, after the same checks as an open. A server
  /// may make a handle anyway; the client then uses it.
  WalkNoHandle = 8,
  /// open only, for reading, with WalkLease: the client holds the file's
  /// bytes while it holds the lease, so a server that grants the lease on
  /// a regular file of at most OpenDataMax bytes answers them all with the
  /// open (FileSystem::open's Data), as a read of them (the access time
  /// moves as a read's would); of a directory, its whole listing if it
  /// fits. A server may ignore it (no lease, no bytes).
  WalkData = 16,
  /// A call that makes, removes or renames the last component itself
  /// (mkdir, mknod, symlink, link, unlink, rmdir, rename): a symlink there
  /// is never followed, not even with a trailing slash, as Linux's
  /// filename_parentat walk leaves it (rmdir("link/") is ENOTDIR, and
  /// mkdir("dangling/") EEXIST). A server's own bit, not the client's.
  WalkLastAsIs = 32,
};

/// The largest file an open with WalkData answers whole: the personality's
/// programs mostly read small files from start to end (a shell script's
/// cat, sort, wc and grep of a few KiB), and a larger one is read as
/// before, by calls that move only what the program asks for.
inline constexpr uint64_t OpenDataMax = 32u << 10;

/// Bits of File::pwrite's Flags.
enum WriteFlags : uint32_t {
  /// Write at the end of the file, whatever the offset (O_APPEND).
  WriteAppend = 1,
  /// The client answered fstat from its open's attributes (a leased open)
  /// since its last change: the file's times count as read, as if that
  /// fstat had asked, so the write takes the fine clock within the tick
  /// (servers/ramfs/README.md, "Times").
  WriteQueried = 2,
};

/// rename's Flags (renameat2).
enum RenameFlags : uint32_t {
  RenameNoReplace = 1, ///< EEXIST if the target exists.
  RenameExchange = 2,  ///< The two names swap files (both must exist).
};

/// Whether \p Flags are rename's that a file system takes together
/// (renameat2's EINVAL otherwise: unknown bits, or no-replace with
/// exchange).
inline bool validRenameFlags(uint32_t Flags) {
  return !(Flags & ~uint32_t(RenameNoReplace | RenameExchange)) &&
         Flags != (RenameNoReplace | RenameExchange);
}

/// The longest path a call carries (PATH_MAX with its NUL), the longest
/// component (NAME_MAX) and how many symlinks one resolution follows
/// (Linux's 40): beyond them, ENAMETOOLONG and ELOOP.
inline constexpr uint32_t PathMax = 4095;
inline constexpr uint32_t NameMax = 255;
inline constexpr uint32_t SymlinkMax = 40;
/// chown's "leave it as it is" for an owner or group (Linux's (uid_t)-1).
inline constexpr uint32_t NoOwner = ~uint32_t(0);

/// The most bytes one pread or pwrite moves: the 16 MiB bulk window.
inline constexpr uint64_t TransferMax = 16u << 20;

} // namespace k42::fs

#endif // K42_SERVERS_FS_FSTYPES_H
