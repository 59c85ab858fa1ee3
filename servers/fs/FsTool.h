//===- servers/fs/FsTool.h - The k42-fs command ------------------*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// k42-fs: the K42 file system from a shell, through FsClient: ls, cat,
/// write (stdin to a file), append, mkdir, rmdir, rm, mv, ln, symlink,
/// readlink, stat, chmod, truncate, mounts. It is how the system tests
/// drive the file servers from several processes, and handy by hand.
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_FS_FSTOOL_H
#define K42_SERVERS_FS_FSTOOL_H

namespace k42::fs {

/// Runs `k42-fs COMMAND ARGS...`; returns the exit code (1 on a failed
/// call, 2 on a usage error).
int fsToolMain(int Argc, char **Argv);

} // namespace k42::fs

#endif // K42_SERVERS_FS_FSTOOL_H
