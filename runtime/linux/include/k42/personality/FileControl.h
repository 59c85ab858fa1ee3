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
/// (its st_dev and st_ino) has a host lock file beside the system's kernel
/// socket (`<socket dir>/locks/<dev>-<ino>`, gone at shutdown), and each
/// description has one open of it (OpenFile::LockFd), which every process
/// holding the description must share: a flock belongs to that open, and
/// lasts while any holder keeps it. So a description gets its lock file's
/// descriptor at its first lock, or before this process makes a child
/// (beforeFork: `exec 9>lk; flock 9` runs flock(1) in a child, whose lock
/// must outlive it), and keeps it across exec (carry, adopt); it is closed
/// with the description's last descriptor here. The host's own flock and
/// fcntl locks on that file then have Linux's semantics: flock locks
/// belong to the description; POSIX record locks belong to the process
/// (kept across exec) and go when it closes any descriptor of the file;
/// OFD locks to the description.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_FILECONTROL_H
#define K42_PERSONALITY_FILECONTROL_H

#include "k42/personality/FdTable.h"

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
  /// After an exec that failed: the descriptors carry() kept are
  /// close-on-exec again.
  static void execFailed();
  /// In the new image: lock file descriptor \p Fd the exec state names
  /// (-1: none), checked and counted; what OpenFile::LockFd becomes.
  static int adopt(int Fd);
  /// Drops one OpenFile's use of lock file descriptor \p Fd (-1: none),
  /// closing it with the last (several OpenFiles share one after exec).
  static void release(int Fd);

  /// Lock file descriptors live in [FirstFd, LastFd]: private (close of
  /// them is EBADF), clear of the fixed 1007-1009 of exec and the channel
  /// memfds from 1010.
  static constexpr int FirstFd = 1001, LastFd = 1006;
};

} // namespace k42::personality

#endif // K42_PERSONALITY_FILECONTROL_H
