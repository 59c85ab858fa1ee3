//===- k42/personality/HostDirect.h - Files read from the host --*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// On a hosted system a read-only hostfs mount is a host directory the
/// process could read itself, and the host's page cache already holds its
/// files: copying them through the server (a round trip per 64 KiB, and a
/// sleeping server worker woken each time) only adds cost. FsBridge checks
/// once per mount that the mount's root is a host directory the process
/// reaches (same st_dev/st_ino as the server's root), and then:
///
/// - a lookup that fails (ENOENT) is answered by the host when the host
///   resolves the path without meeting a symlink: the server's walk visits
///   the same directories with the same credentials, so its answer would
///   be the same (glibc's locale files a program does not have);
/// - a stat that the host resolves without a symlink is the host's stat,
///   field for field what hostfs answers;
/// - a regular file opened for reading is opened by the process on the
///   host: with no call when the host reaches it without a symlink (the
///   server's walk and checks would be the host's), else once the server
///   has authorised and named it (one open, no handle kept); the
///   descriptor is the host's file, checked by st_dev and st_ino against
///   the lookup's or the server's answer, so read, mmap (the page cache is
///   the memory object), fstat, fork, exec and dup are the host's own.
///
/// These are the host-side steps, free of FsBridge's state so they can be
/// tested alone. Handler context: host calls through the gate only.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_HOSTDIRECT_H
#define K42_PERSONALITY_HOSTDIRECT_H

#include "FsTypes.h"

#include <cstddef>

namespace k42::personality {

/// The host side of files read directly from a read-only hostfs mount.
class HostDirect {
public:
  /// The answer that sends a caller back to the server: the host cannot
  /// tell (a symlink, '..', a name too long, an unexpected file).
  static constexpr long AskServer = -11; // -EAGAIN

  /// \p HostDir (canonical, no trailing '/') and the \p RestLength bytes
  /// of \p Rest (a path relative to the mount, as the server would get it)
  /// joined into \p Out (\p Capacity bytes). AskServer if a '..'
  /// component of \p Rest climbs above the mount's root (the walk leaves
  /// the mount there: a restart into K42's name space) or the result does
  /// not fit. A '..' below the root stays: with no symlink on the way (the
  /// lookups refuse them) the host's '..' is the walk's, the physical
  /// parent (gcc's and ld's "lib/gcc/x86_64-linux-gnu/12/../../../").
  static long join(const char *HostDir, const char *Rest, size_t RestLength,
                   char *Out, size_t Capacity);

  /// Looks \p HostPath up on the host without following any symlink
  /// (openat2 RESOLVE_NO_SYMLINKS; \p Follow false keeps a last component
  /// that is a symlink, as lstat). 0 and \p Attr: found; -ENOENT: missing
  /// (exact: no symlink was met); -ELOOP: a symlink on the way
  /// (followLink); AskServer for anything else.
  static long lookup(const char *HostPath, bool Follow, fs::FileAttr &Attr);

  /// readlink of \p HostPath on the host, looked up as lookup() does with
  /// its last component kept: the text's length (at most \p Size bytes of
  /// it into \p Buffer, as Linux cuts it); -EINVAL: not a symlink; -ENOENT:
  /// missing; -ELOOP: a symlink on the way (followLink); AskServer for
  /// anything else. hostfs reads the same link (cc1 asks realpath of each
  /// header directory: 500 readlinks a compile).
  static long readlink(const char *HostPath, char *Buffer, size_t Size);

  /// Where a lookup of \p HostPath goes on when the host met a symlink in
  /// it (lookup() said -ELOOP): \p HostPath is \p HostDirLength bytes
  /// of the mount's host directory, '/', and the rest; the first component
  /// after the host directory that is a symlink (those before it are
  /// directories) is replaced by its text, as a server's restart would:
  /// an absolute text from K42's root, a relative one from the link's
  /// directory in the mount at K42 path \p MountPath. The K42 path to
  /// resolve next into \p Next (\p Capacity bytes). 0, or AskServer (no
  /// symlink, another error, no room). \p HostPath is left as it was.
  static long followLink(char *HostPath, size_t HostDirLength,
                         const char *MountPath, char *Next, size_t Capacity);

  /// Opens regular file \p HostPath on the host for reading with the
  /// program's open \p Flags (access mode O_RDONLY; O_CLOEXEC, O_NONBLOCK,
  /// O_NOFOLLOW... kept) at the lowest free descriptor, if it is the file
  /// the server named (\p Expect's st_dev and st_ino). The descriptor, or
  /// AskServer (nothing left open).
  static long open(const char *HostPath, long Flags,
                   const fs::FileAttr &Expect);

  /// What openRead() answers for a directory: one this process may open
  /// for reading (its handle deferred), nothing left open.
  static constexpr long Directory = -21; // -EISDIR

  /// lookup() and open() in one host open, for an open for reading with
  /// the program's \p Flags (O_CLOEXEC, O_NONBLOCK... kept; O_DIRECTORY
  /// when only a directory will do): \p HostPath opened with them and
  /// RESOLVE_NO_SYMLINKS, then fstat'ed. A regular file: its descriptor,
  /// at the lowest free number, with the program's flags exactly, and
  /// \p Attr. A directory: Directory and \p Attr. -ENOENT: missing
  /// (exact: no symlink was met); -ELOOP: a symlink on the way, the last
  /// component too (followLink); AskServer for anything else (EACCES, a
  /// FIFO, a device). Opened with O_NONBLOCK and O_NOCTTY, cleared after
  /// for a regular file the program did not ask them for, so that a FIFO
  /// or a terminal there neither blocks nor becomes anything's: it is
  /// closed at once and the server asked. Two host calls where lookup()
  /// and open() made five (three with the O_NONBLOCK the program did not
  /// ask for cleared).
  static long openRead(const char *HostPath, long Flags, fs::FileAttr &Attr);

  /// Whether this process may open directory \p HostPath for reading and
  /// it is the directory a lookup found (\p Expect's st_dev and st_ino):
  /// the host's open checks the credentials the server's would, so a
  /// directory of a read-only mount is opened without a call (its server
  /// handle made at the first use that needs one). Nothing is left open.
  /// 0, or AskServer.
  static long mayOpenDirectory(const char *HostPath,
                               const fs::FileAttr &Expect);
  /// Opens directory \p HostPath for reading (close-on-exec), with no
  /// symlink on the way, if it is the directory a lookup found
  /// (\p Expect's st_dev and st_ino): the descriptor, or AskServer
  /// (nothing left open). A listing read from it is hostfs's.
  static long openDirectory(const char *HostPath, const fs::FileAttr &Expect);

  /// Whether host path \p MountPath is the directory the server's root
  /// attributes \p Root describe; its canonical host path (no symlinks)
  /// into \p Out (\p Capacity bytes) if so. 0, or AskServer.
  static long rootOf(const char *MountPath, const fs::FileAttr &Root, char *Out,
                     size_t Capacity);

  /// Whether \p HostDir, the canonical name rootOf() gave a fork relative
  /// for \p MountPath (SharedRoots), still names the root: \p MountPath
  /// is the directory \p Root describes (a link retargeted since is not),
  /// and so is \p HostDir itself, not a symlink to it. Two stats, where
  /// rootOf() opens the mount and reads /proc/self/fd/N's link (a /proc
  /// walk, and dentries the process's reaping frees). A component of
  /// \p HostDir that became a symlink since is not looked for: lookup()
  /// refuses every symlink, so each lookup then goes to the server
  /// (followLink), which answers as before. 0, or AskServer.
  static long sameRoot(const char *MountPath, const char *HostDir,
                       const fs::FileAttr &Root);
};

} // namespace k42::personality

#endif // K42_PERSONALITY_HOSTDIRECT_H
