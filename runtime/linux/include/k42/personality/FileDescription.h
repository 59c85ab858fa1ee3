//===- k42/personality/FileDescription.h - Shared open files ---*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// POSIX's open file description for a K42 file: one offset and one set of
/// status flags that every descriptor made from one open shares, in this
/// process and in forked children, before and after exec (the shell's
/// `{ echo a; /bin/echo b; } > f` depends on it).
///
/// Each description is a small memfd mapped MAP_SHARED, and that memfd is
/// the descriptor's host placeholder. The host then does the bookkeeping
/// a table of our own would have to redo: the placeholder is inherited by
/// fork and exec, copied by dup, dropped by close, close-on-exec and exit
/// (even a SIGKILL), and the description is freed with its last reference
/// in any process. A process that did not make the mapping (a program after
/// exec) maps it again from the descriptor (attach()). The lock is a futex
/// in the shared page (GateLock waits without FUTEX_PRIVATE_FLAG), so it
/// serialises offset updates across processes. A process keeps the
/// descriptions it made and closed, which no other process can hold, for
/// its next opens (DescriptionPool.h): making one costs far more than a
/// native open.
///
/// A small regular file this description created (opened for writing with
/// O_TRUNC, with the server's single-client lease) is also held here whole
/// (paper 4.5: the client handles a small file itself): reads,
/// lseek(SEEK_END) are served from Data. Writes go through to the server
/// too (write-through), so the server's copy is always current for every
/// other open, stat and exec of the file; the copy is dropped when the file
/// grows past CacheMax, and when the server revokes the lease (another
/// process opened the file) or a process that does not hold it uses the
/// description. Cached is here, in memory every holder maps, so one drop
/// switches every process that shares the description to the server.
///
/// The server handle is not here: each process re-authorises with the file
/// server itself (paper 3.4) and keeps its own handle in its OpenFile.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_FILEDESCRIPTION_H
#define K42_PERSONALITY_FILEDESCRIPTION_H

#include "k42/personality/GateLock.h"

#include "FsTypes.h"

#include <cstdint>

namespace k42::personality {

/// One open K42 file description, in memory shared by every process that
/// holds a descriptor of it.
class FileDescription {
public:
  /// Tells a description's memory from any other memfd at a descriptor.
  static constexpr uint64_t MagicValue = 0x4b3432'4f464431ull;
  /// The memfd's name (/proc/self/fd/N shows /memfd:k42-file).
  static constexpr const char *MemfdName = "k42-file";
  /// The kernel's O_LARGEFILE (glibc's is 0 on x86_64), which open(2) sets
  /// in every description but an O_PATH one's on a 64-bit kernel: F_GETFL
  /// and /proc/<pid>/fdinfo show it.
  static constexpr uint32_t KernelLargeFile = 0100000;

  /// Makes a description for \p Path opened with \p Flags (Linux open
  /// flags as F_GETFL answers them) at the lowest free descriptor, the
  /// placeholder, close-on-exec if \p Cloexec. Returns the descriptor (or
  /// a negated errno) and the mapping in \p Out.
  static long create(const char *Path, uint32_t Flags, bool IsDir, bool Cloexec,
                     FileDescription *&Out);
  /// Maps the description that descriptor \p Fd holds (after exec); a
  /// negated errno if \p Fd is not one.
  static long attach(long Fd, FileDescription *&Out);
  /// Whether host descriptor \p Fd holds a description: its first bytes
  /// are MagicValue (one read, which never waits: a pipe, socket or
  /// terminal answers ESPIPE), and no mapping.
  static bool heldAt(long Fd);
  /// Lets go of this process's view at its last close: back to the pool
  /// (DescriptionPool.h) if it is one the pool may keep, else unmapped
  /// (the description lives on while any process holds a descriptor of
  /// it).
  static void detach(FileDescription *D);
  /// Unmaps this process's view, whatever it is.
  static void unmap(const FileDescription *D);
  /// Maps the description descriptor \p Fd holds read-only (\p Fd may be
  /// open for reading only), to look at another process's: an open of
  /// its placeholder for writing would break a read lease the other
  /// process holds on it, and the lease-break SIGIO would kill it. Its
  /// Path may be unterminated (strnlen within its size). unmap() after.
  static long peek(long Fd, const FileDescription *&Out);
  /// A new, zeroed description's memfd at the lowest free descriptor,
  /// close-on-exec, its size sealed and its offset at its end, mapped in
  /// \p Out; the descriptor or a negated errno (DescriptionPool's maker).
  static long make(FileDescription *&Out);

  uint64_t Magic;
  /// Serialises Offset and DirCookie updates across processes.
  GateLock Lock;
  /// Linux status flags and access mode (O_APPEND, O_NONBLOCK...).
  uint32_t Flags;
  uint32_t IsDir;
  uint64_t Offset;
  /// getdents64's place in a directory.
  uint64_t DirCookie;
  /// The server's key of the open file (fs::FileAttr::OpenKey; 0: the
  /// server gives none): how another process holding the description
  /// opens the very file again (FsBridge::reopen), renamed or unlinked
  /// since, as a Linux descriptor still names its inode. Set before the
  /// descriptor is installed.
  uint64_t OpenKey;
  /// The file's st_dev and st_ino as its open found them (0: unknown):
  /// which host lock file stands for it (FileControl), with no server
  /// call to ask.
  uint64_t Dev;
  uint64_t Ino;
  /// The largest file held in the description (Data).
  static constexpr uint64_t CacheMax = 65536;
  /// Non-zero while Data[0, CachedSize) is the whole file; changed only
  /// under Lock, and only from 1 to 0 after the description is made.
  uint32_t Cached;
  /// Non-zero when Path is a folder's own path (every '..' and symlink
  /// resolved by the server's walk), so a leading '..' of a path relative
  /// to it is its parent, as on Linux, without walking Path again (which
  /// fails once a folder on it is removed). Set before the descriptor is
  /// installed.
  uint32_t PathResolved;
  /// Non-zero once another process took the placeholder as its own
  /// descriptor (pidfd_getfd, or a receive of it by SCM_RIGHTS: the
  /// receiver sets it, PassedFds): the process that made it never keeps it
  /// for its next open (DescriptionPool), which would make the taker's
  /// descriptor another file's.
  uint32_t Taken;
  uint64_t CachedSize;
  /// The absolute path it was opened at: how another process re-opens it
  /// without a key (or once the key's file is closed everywhere else).
  /// After every word a read or an open looks at, so that a description
  /// whose path is short touches one page of the memfd, not two (each a
  /// page the host allocates and zeroes at the first touch).
  char Path[fs::PathMax + 1];
  /// The file's bytes while Cached (pages the memfd allocates on first
  /// touch, so an uncached description costs none of them).
  char Data[CacheMax];

  /// Drops the client copy (under Lock): the server's is the file.
  void dropCache() {
    GateLockGuard Guard(Lock);
    __atomic_store_n(&Cached, 0, __ATOMIC_RELEASE);
  }
};

} // namespace k42::personality

#endif // K42_PERSONALITY_FILEDESCRIPTION_H
