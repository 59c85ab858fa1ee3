//===- k42/personality/FileDispatch.h - Whose path, whose fd ---*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The one place a file call asks whether its path or descriptor argument
/// is K42's or the host's, so that no K42 path and no K42 descriptor (its
/// host placeholder is a memfd, or a socket for a pipe end) ever reaches
/// the host. FileCalls.cpp holds the state it reads (the current directory,
/// the descriptor tables); FileMetaCalls.cpp and the other handlers use it.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_FILEDISPATCH_H
#define K42_PERSONALITY_FILEDISPATCH_H

#include "k42/personality/FdTable.h"
#include "k42/personality/HeldFile.h"
#include "k42/personality/PipeTable.h"
#include "k42/personality/Syscall.h"

#include "FsTypes.h"

#include <fcntl.h>
#include <sys/stat.h>

namespace k42::personality {

/// Classifies path and descriptor arguments for the file handlers.
class FileDispatch {
public:
  /// Room for an absolute path (PathMax and its terminator).
  static constexpr size_t PathBytes = fs::PathMax + 1;

  /// Whose path: \p DirFd and the caller's \p UserPath (copied in, EFAULT
  /// and ENAMETOOLONG checked) as Linux's *at calls take them. 1: K42's,
  /// \p Abs its absolute, normalised form; 0: the host's (pass the call
  /// through unchanged; also an empty path, which the caller checks for
  /// AT_EMPTY_PATH itself); a negated errno otherwise. \p FollowLast: the
  /// call follows a symlink at the last component, so a host symlink there
  /// into K42's names makes the path K42's (HostSymlinks).
  static long path(long DirFd, long UserPath, char *Abs,
                   bool FollowLast = false);
  /// A rename's or link's \p Result on K42 paths \p A and \p B (the
  /// caller's \p PathA and \p PathB): where it is ENOENT or LeftK42, a K42
  /// symlink on the way to either folder may lead out of K42 (hl ->
  /// /work/src: hl/a, FsBridge::hostFolderOf). Both such: the host's call
  /// on their host paths; one such: EXDEV, as across file systems;
  /// neither: \p Result (LeftK42: EXDEV).
  static long twoLeftK42(SyscallCall &Call, long PathA, const char *A,
                         long PathB, const char *B, long Result);

  /// The caller's path argument \p User copied into \p Out (PathBytes),
  /// a page piece at a time: its length, or EFAULT, ENAMETOOLONG.
  static long copyPath(long User, char *Out);
  /// Whether an open with \p Flags follows a symlink at the last
  /// component: not with O_NOFOLLOW, nor with O_CREAT | O_EXCL (EEXIST
  /// for any name there).
  static bool opensFollowLast(long Flags) {
    return !(Flags & O_NOFOLLOW) &&
           (Flags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL);
  }

  /// What a descriptor is.
  enum class FdKind { Host, File, Pipe };
  /// Whose descriptor: a K42 file (\p File holds it for the caller's
  /// call: another thread may close \p Fd meanwhile), a K42 pipe end, or
  /// the host's (including a bad number, which the host answers with
  /// EBADF).
  static FdKind fd(long Fd, HeldFile &File);

  /// Whether the caller's \p UserPath is the empty string (for
  /// AT_EMPTY_PATH and the NULL-path form of utimensat); false for a bad
  /// pointer, which the path call then answers with EFAULT.
  static bool emptyPath(long UserPath);
  /// Whether \p F was opened with O_PATH: a name for *at calls, fstat and
  /// fchdir, EBADF for what would use the file itself.
  static bool pathOnly(const OpenFile &F) { return F.Desc->Flags & O_PATH; }
  /// An *at call's \p UserPath, or "." when it names the current directory
  /// itself: empty, with AT_EMPTY_PATH in \p Flags and \p DirFd AT_FDCWD.
  /// The current directory is K42's, which the host's descriptor call
  /// would not find: it acted on the folder k42-exec was started in (a
  /// program's fchownat(AT_FDCWD, "", ..., AT_EMPTY_PATH) chowned a host
  /// folder, battery 31).
  static long cwdIfEmpty(long DirFd, long UserPath, long Flags);

  /// Whether \p Gid is one of the process's groups: its effective group
  /// (its real one without \p Effective) or a supplementary one.
  static bool inGroup(uint32_t Gid, bool Effective = true);
  /// chmod of K42 path \p Abs to \p Mode (07777) as Linux's
  /// setattr_prepare applies it: S_ISGID dropped silently by a caller
  /// outside the file's group without CAP_FSETID (not root).
  static long chmod(const char *Abs, uint32_t Mode);
  /// \p Mode as chmod applies it to a file of group \p FileGid.
  static uint32_t chmodMode(uint32_t Mode, uint32_t FileGid) {
    return (Mode & S_ISGID) && !mayKeepSetgid(FileGid)
               ? Mode & ~uint32_t(S_ISGID)
               : Mode;
  }
  /// Whether a chmod by this process keeps S_ISGID on a file of group
  /// \p FileGid: root, or a member of the group.
  static bool mayKeepSetgid(uint32_t FileGid);

  /// open of K42 path \p Abs (absolute, normalised) with Linux's \p Flags
  /// and \p Mode: a new description at the lowest free descriptor, as
  /// open(2) of the path would make (DevFd's reopen of a descriptor). With
  /// \p Key (the descriptor's description's OpenKey), the file that open
  /// found, renamed or unlinked since, if the access asked is within its.
  static long openPath(const char *Abs, long Flags, long Mode,
                       uint64_t Key = 0);

  /// \p File's server handle in this process, re-made by path after fork
  /// or exec (the paper's lazy re-authorisation). 0 or a negated errno.
  static long authorise(OpenFile &File);

  /// \p File's description's path into \p Out (PathBytes), read under the
  /// description's lock (another process sharing it may be rewriting it);
  /// its length. A K42 file's path is asked of the server again first
  /// when the server said something open here was renamed since
  /// (ServerFile's PathSeen: the file, or a directory above it), so a
  /// descriptor follows its file as a Linux dentry does (*at calls,
  /// fchdir, its /proc/self/fd name).
  static size_t currentPath(OpenFile &File, char *Out);
};

} // namespace k42::personality

#endif // K42_PERSONALITY_FILEDISPATCH_H
