//===- k42/personality/FileControl.h - Locks and ioctl of files -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Advisory locks on K42 files. A K42 descriptor's placeholder is its
/// description's memfd, one per open, so the host's locks on it would never
/// conflict between two opens of the same file. Instead every K42 file
/// (its st_dev and st_ino) has host lock files beside the system's kernel
/// socket (`<socket dir>/locks/<dev>-<ino>` and `<dev>-<ino>.r`, gone at
/// shutdown):
///
/// - flock and OFD locks belong to the open file description, so each
///   description has one open of `<dev>-<ino>` (OpenFile::LockFd), which
///   every process holding the description must share: a flock lasts
///   while any holder keeps it. A description gets its lock file's
///   descriptor at its first lock, or before this process makes a child
///   (beforeFork: `exec 9>lk; flock 9` runs flock(1) in a child, whose
///   lock must outlive it), keeps it across exec (carry, adopt), and
///   closes it with its last descriptor.
/// - POSIX record locks (F_SETLK, F_SETLKW, F_GETLK) belong to the
///   process, and Linux drops them all when the process closes any
///   descriptor of the file. The host does the same for its own
///   descriptors, so they are taken on one descriptor of `<dev>-<ino>.r`
///   per process and file (a record file), never on a description's: the
///   open that makes a description's lock file descriptor ends with the
///   close of a temporary low number, which would drop the process's
///   record locks if they were on that file (a program that opened the
///   file a second time and forked lost its lock). A close of any K42
///   descriptor of the file closes the record file (closed()), which drops
///   the locks as Linux does; a fork child inherits the descriptor and
///   none of the locks (the host's rule); an exec keeps both
///   (carryRecords, adoptRecords).
///
/// Limit: OFD locks and POSIX record locks on one file are on two host
/// files, so they do not conflict with each other (on Linux they do).
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_FILECONTROL_H
#define K42_PERSONALITY_FILECONTROL_H

#include "k42/personality/FdTable.h"

#include <cstdint>

namespace k42::personality {

/// flock, fcntl record locks (through host lock files) and ioctl of K42
/// files.
class FileControl {
public:
  /// flock(2) of K42 file \p File: 0 or a negated errno (EWOULDBLOCK,
  /// EINTR, EINVAL for a bad \p Operation, ENOLCK with no room for the
  /// lock file's descriptor).
  static long flock(OpenFile &File, long Operation);
  /// fcntl(2)'s F_SETLK, F_SETLKW, F_GETLK and the F_OFD_ forms on K42
  /// file \p File with the caller's struct flock at \p UserLock.
  static long fcntl(OpenFile &File, long Command, long UserLock);

  /// ioctl(2) of K42 file \p File: FIONREAD (bytes from the offset to
  /// the end of a regular file), FIONBIO and FIOASYNC (the description's
  /// status flags), FIOCLEX/FIONCLEX (the placeholder's descriptor flag:
  /// \p Host); anything else, FS_IOC_* and the terminal requests included,
  /// ENOTTY as for a file with no such operation.
  static long ioctl(OpenFile &File, long Request, long Arg, long Host);

  /// Before a child process is made (fork, posix_spawn): every K42 file
  /// description this process holds gets its lock file's descriptor, if
  /// there is room, so the child shares it (a lock the child takes is the
  /// description's, not the child's alone).
  static void beforeFork();
  /// For the exec state: lock file descriptor \p Fd (or -1) kept open
  /// across the exec; what the new image adopts.
  static int carry(int Fd);
  /// After an exec that failed: the descriptors carry() and
  /// carryRecords() kept are close-on-exec again.
  static void execFailed();
  /// In the new image: lock file descriptor \p Fd the exec state names
  /// (-1: none), checked and counted; what OpenFile::LockFd becomes.
  static int adopt(int Fd);
  /// Drops one OpenFile's use of lock file descriptor \p Fd (-1: none),
  /// closing it with the last (several OpenFiles share one after exec).
  static void release(int Fd);

  /// A descriptor of K42 file \p File was closed (close, close_range,
  /// dup2 or dup3 over it): the process's record locks on the file go,
  /// as Linux drops them at the close of any descriptor of the file.
  static void closed(const OpenFile &File);

  /// A record file the exec state hands on: the K42 file's st_dev and
  /// st_ino, and the host descriptor of its `.r` lock file.
  struct RecordFile {
    uint64_t Dev;
    uint64_t Ino;
    int32_t Fd;
    uint32_t Unused;
  };
  /// Record files a process holds at most (ENOLCK for a record lock on
  /// another file past that). Linux has no such limit short of
  /// RLIMIT_NOFILE: sqlite locks each database it has open, and in WAL
  /// mode its shared-memory file too (at 16, the ninth WAL database was
  /// "database is locked", battery 44).
  static constexpr unsigned MaxRecordFiles = 256;
  /// Whether this process holds any record file (the exec state must then
  /// be written).
  static bool anyRecords();
  /// Before an exec: close-on-exec descriptor \p File is closed by it,
  /// which on Linux drops the process's record locks on the file: its
  /// record file is not carried (the exec closes it) unless the exec
  /// fails (execFailed()).
  static void closesAtExec(const OpenFile &File);
  /// For the exec state: this process's record files, kept open across
  /// the exec (record locks outlive it, as on Linux), written to \p Out;
  /// their number. After closesAtExec() for the files the exec closes. A
  /// posix_spawn child's exec hands on none (the locks are its parent's,
  /// not the new program's).
  static unsigned carryRecords(RecordFile *Out);
  /// In the new image: the \p N record files the exec state names, made
  /// close-on-exec again and known.
  static void adoptRecords(const RecordFile *In, unsigned N);

  /// Lock file descriptors live in [FirstFd, LastFd]: private (close of
  /// them is EBADF), clear of the fixed 1007-1009 of exec and the channel
  /// memfds from 1010.
  static constexpr int FirstFd = 1001, LastFd = 1006;
};

} // namespace k42::personality

#endif // K42_PERSONALITY_FILECONTROL_H
