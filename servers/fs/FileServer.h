//===- servers/fs/FileServer.h - What every file server's main does -*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The shared body of k42-ramfs and k42-hostfs: connect to the kernel,
/// make the file system, publish it with the name server and mount it in
/// the mount table (MountPoints), then serve it and its open files until
/// shutdown; a client that is gone loses its open files.
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_FS_FILESERVER_H
#define K42_SERVERS_FS_FILESERVER_H

#include "FileSystem.h"
#include "OpenFileTable.h"

#include <k42/ipc/Result.h>

#include <functional>
#include <memory>
#include <string>

namespace k42::fs {

/// Where a file server mounts itself.
struct FileServerOptions {
  /// The process name the kernel lists.
  std::string Name;
  /// The mount path, absolute and canonical.
  std::string MountPath = "/";
  /// Mount flags (name::MountReadOnly).
  uint32_t MountFlags = 0;
};

/// Makes the file system once the open-file table exists.
using MakeFileSystem =
    std::function<Result<std::unique_ptr<FileSystem>>(OpenFileTable &Files)>;

/// Runs a file server; returns the process's exit code.
int runFileServer(const FileServerOptions &Options, const MakeFileSystem &Make);

/// The name a file server mounted at \p MountPath publishes.
std::string servicePath(std::string_view MountPath);

} // namespace k42::fs

#endif // K42_SERVERS_FS_FILESERVER_H
