//===- servers/fs/FileSystem.h - A mounted file system -----------*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The interface every file server (ramfs, hostfs) exports for one mount:
/// the path calls of the Linux API, with paths relative to the mount's root.
/// open returns a handle to a File object (File.h) for the calls on an open
/// file. Errors are Linux errnos. A path call that succeeds returns an
/// Outcome (FsTypes.h): Done, or a restart that hands the rest of the path
/// back to the client, which finds the mount to resolve it in (the
/// protocol is in servers/fs/README.md). Who calls is the badge, so uid and
/// gid come from the kernel, never from the request.
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_FS_FILESYSTEM_H
#define K42_SERVERS_FS_FILESYSTEM_H

#include "FsTypes.h"

#include <k42/idl.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace k42::fs {

/// One mounted file system. `read` allows lookups and reads, `write` the
/// calls that change the tree (a read-only mount still refuses them with
/// EROFS).
class K42_EXPORT K42_RIGHTS(read, write) K42_DEFAULT_REQUIRES(read)
    K42_VERSION(1) FileSystem {
public:
  virtual ~FileSystem() = default;

  /// Opens \p Path with Linux open \p Flags (O_ACCMODE, O_CREAT, O_EXCL,
  /// O_TRUNC, O_DIRECTORY, O_NOFOLLOW, O_APPEND is the client's), creating
  /// it with \p Mode (the client applied its umask). On Done, \p File is a
  /// handle to the open file for this process, with read and/or write
  /// rights as the access mode says, and \p Attr its attributes. O_PATH
  /// opens for nothing (tar opens a symlink so to ask its type): no
  /// rights, no permission asked of the file, O_CREAT and O_TRUNC ignored,
  /// and with O_NOFOLLOW a symlink is the handle's file. With WalkData in
  /// \p Walk (FsTypes.h), an open for reading only that is granted the
  /// lease of a regular file of at most OpenDataMax bytes answers the
  /// whole file in \p Data, and of a directory whose whole listing fits
  /// in OpenDataMax bytes that listing (getdents64 records, as readdir
  /// from cookie 0 to the end gives them), so that a client that holds
  /// small files itself (paper 4.5) needs no read call after it; \p Data
  /// is empty in every other answer.
  virtual k42::Status open(K42_CALLER const k42::Badge &Caller,
                           std::string_view Path, uint32_t Flags, uint32_t Mode,
                           uint32_t Walk, k42::ObjectHandle &File,
                           FileAttr &Attr, std::vector<uint8_t> &Data,
                           std::string &Restart) = 0;

  /// Opens again, for the caller, the file an open answered \p Key for
  /// (FileAttr::OpenKey), with \p Flags' access mode (and O_PATH): a
  /// process re-authorising a descriptor it inherited or was passed
  /// (paper 3.4), whose file may have been renamed or unlinked since, as a
  /// Linux descriptor still names its inode. The key is the capability:
  /// knowing it is holding the descriptor, so no permission is asked of
  /// the file again for the first open's access; more than that (a
  /// descriptor's /proc/self/fd link opened for another access, as Linux
  /// allows) is given only where the file's mode allows it the caller
  /// (EACCES otherwise). \p File and \p Attr as open answers them (no lease, no
  /// bytes). ESTALE once no handle of that open file is left (the client
  /// opens by path then), ENOSYS from a server that gives no keys.
  virtual k42::Status reopen(K42_CALLER const k42::Badge &Caller, uint64_t Key,
                             uint32_t Flags, k42::ObjectHandle &File,
                             FileAttr &Attr) = 0;

  /// stat (or lstat, with WalkNoFollow in \p Walk) of \p Path.
  virtual k42::Status stat(K42_CALLER const k42::Badge &Caller,
                           std::string_view Path, uint32_t Walk, FileAttr &Attr,
                           std::string &Restart) = 0;

  /// Makes directory \p Path.
  K42_REQUIRES(write)
  virtual k42::Status mkdir(K42_CALLER const k42::Badge &Caller,
                            std::string_view Path, uint32_t Mode, uint32_t Walk,
                            std::string &Restart) = 0;

  /// Removes the empty directory \p Path.
  K42_REQUIRES(write)
  virtual k42::Status rmdir(K42_CALLER const k42::Badge &Caller,
                            std::string_view Path, uint32_t Walk,
                            std::string &Restart) = 0;

  /// Removes the name \p Path (not a directory); an open file stays
  /// readable by those who hold it.
  K42_REQUIRES(write)
  virtual k42::Status unlink(K42_CALLER const k42::Badge &Caller,
                             std::string_view Path, uint32_t Walk,
                             std::string &Restart) = 0;

  /// Renames \p From to \p To, both in this file system (the client says
  /// EXDEV across mounts), replacing \p To unless \p Flags has
  /// RenameNoReplace.
  K42_REQUIRES(write)
  virtual k42::Status rename(K42_CALLER const k42::Badge &Caller,
                             std::string_view From, std::string_view To,
                             uint32_t Flags, uint32_t Walk,
                             std::string &Restart) = 0;

  /// Makes \p NewPath a hard link to \p Existing.
  K42_REQUIRES(write)
  virtual k42::Status link(K42_CALLER const k42::Badge &Caller,
                           std::string_view Existing, std::string_view NewPath,
                           uint32_t Walk, std::string &Restart) = 0;

  /// Makes \p Path a hard link to the file an open answered \p Key for
  /// (FileAttr::OpenKey): linkat of a descriptor (AT_EMPTY_PATH, or its
  /// /proc/self/fd/N name followed) links the inode it names, renamed
  /// since or unnamed: an O_TMPFILE file made without O_EXCL. ENOENT for
  /// another file with no name left (Linux's), ESTALE for a key this
  /// server does not know, ENOSYS from a server that gives no keys.
  K42_REQUIRES(write)
  virtual k42::Status linkOpen(K42_CALLER const k42::Badge &Caller,
                               std::string_view Path, uint64_t Key,
                               uint32_t Walk, std::string &Restart) = 0;

  /// Extended attributes of \p Path (WalkNoFollow in \p Walk: the l*
  /// calls), in the namespaces K42's file systems keep: `user.` (regular
  /// files and folders; read or write permission) and `trusted.` (root's).
  /// Names in any other namespace are EOPNOTSUPP, as on a file system
  /// without them. setxattr's \p Flags are XATTR_CREATE (EEXIST) and
  /// XATTR_REPLACE (ENODATA); values up to 64 KiB.
  K42_REQUIRES(write)
  virtual k42::Status setxattr(K42_CALLER const k42::Badge &Caller,
                               std::string_view Path, std::string_view Name,
                               std::span<const uint8_t> Value, uint32_t Flags,
                               uint32_t Walk, std::string &Restart) = 0;
  /// The whole value of \p Name (ENODATA if it has none).
  virtual k42::Status getxattr(K42_CALLER const k42::Badge &Caller,
                               std::string_view Path, std::string_view Name,
                               uint32_t Walk, std::vector<uint8_t> &Value,
                               std::string &Restart) = 0;
  /// The names the caller may see, each with its NUL, as listxattr gives.
  virtual k42::Status listxattr(K42_CALLER const k42::Badge &Caller,
                                std::string_view Path, uint32_t Walk,
                                std::vector<uint8_t> &Names,
                                std::string &Restart) = 0;
  K42_REQUIRES(write)
  virtual k42::Status removexattr(K42_CALLER const k42::Badge &Caller,
                                  std::string_view Path, std::string_view Name,
                                  uint32_t Walk, std::string &Restart) = 0;

  /// Makes \p Path a symlink whose text is \p Target.
  K42_REQUIRES(write)
  virtual k42::Status symlink(K42_CALLER const k42::Badge &Caller,
                              std::string_view Target, std::string_view Path,
                              uint32_t Walk, std::string &Restart) = 0;

  /// The text of symlink \p Path.
  virtual k42::Status readlink(K42_CALLER const k42::Badge &Caller,
                               std::string_view Path, uint32_t Walk,
                               std::string &Target, std::string &Restart) = 0;

  /// Sets the permission bits of \p Path (owner or root only).
  K42_REQUIRES(write)
  virtual k42::Status chmod(K42_CALLER const k42::Badge &Caller,
                            std::string_view Path, uint32_t Mode, uint32_t Walk,
                            std::string &Restart) = 0;

  /// Sets the size of regular file \p Path.
  K42_REQUIRES(write)
  virtual k42::Status truncate(K42_CALLER const k42::Badge &Caller,
                               std::string_view Path, uint64_t Size,
                               uint32_t Walk, std::string &Restart) = 0;

  /// Sets the times of \p Path (UTIME_NOW, UTIME_OMIT as utimensat).
  K42_REQUIRES(write)
  virtual k42::Status utimens(K42_CALLER const k42::Badge &Caller,
                              std::string_view Path, const FileTimes &Times,
                              uint32_t Walk, std::string &Restart) = 0;

  /// Sets the owner and group of \p Path (NoOwner leaves one as it is;
  /// WalkNoFollow: lchown) under Linux's rules (mayChown): only root gives
  /// a file away. A read-only file system answers EROFS.
  K42_REQUIRES(write)
  virtual k42::Status chown(K42_CALLER const k42::Badge &Caller,
                            std::string_view Path, uint32_t Uid, uint32_t Gid,
                            uint32_t Walk, std::string &Restart) = 0;

  /// The file system's figures (statfs).
  virtual k42::Status statfs(FsInfo &Info) = 0;

  /// Makes the special file \p Path with \p Mode's type and permissions
  /// (the client applied its umask): S_IFIFO, a named pipe, whose opens
  /// the Linux personality joins to a pipe of the pipe server. A file
  /// system without such nodes answers EPERM (Linux's vfs_mknod), after
  /// EEXIST and the parent's errors.
  K42_REQUIRES(write)
  virtual k42::Status mknod(K42_CALLER const k42::Badge &Caller,
                            std::string_view Path, uint32_t Mode, uint32_t Walk,
                            std::string &Restart) = 0;

  /// A host path whose inotify events are \p Path's (lstat's file with
  /// WalkNoFollow in \p Walk), for a client's inotify_add_watch: Linux
  /// delivers inotify events in its own kernel, so a hosted file system
  /// has them delivered there, on a host file that it changes as its own
  /// file changes. Read permission on the file is asked, as Linux's
  /// inotify_add_watch asks it (EACCES). EOPNOTSUPP for a file the server
  /// cannot stand in for, ENOSYS from a server that has no such files.
  virtual k42::Status watch(K42_CALLER const k42::Badge &Caller,
                            std::string_view Path, uint32_t Walk,
                            std::string &HostPath, std::string &Restart) = 0;
};

} // namespace k42::fs

#endif // K42_SERVERS_FS_FILESYSTEM_H
