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
/// socket (`<socket dir>/locks/<dev>-<ino>`, gone at shutdown), and a
/// description opens it once per process (OpenFile::LockFd, close-on-exec,
/// closed with the description's last descriptor). The host's own flock
/// and fcntl locks on that file then have Linux's semantics: flock locks
/// belong to the lock file's open description, which fork children share;
/// POSIX record locks belong to the process and go when it closes any
/// descriptor of the file; OFD locks to the open description.
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

  /// Lock file descriptors live in [FirstFd, LastFd]: private (close of
  /// them is EBADF), clear of the fixed 1007-1009 of exec and the channel
  /// memfds from 1010.
  static constexpr int FirstFd = 1001, LastFd = 1006;
};

} // namespace k42::personality

#endif // K42_PERSONALITY_FILECONTROL_H
