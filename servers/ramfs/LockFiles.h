//===- servers/ramfs/LockFiles.h - Host lock files of dead files -*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The personality locks a K42 file (flock, OFD and POSIX record locks) on
/// two host lock files named by the file's st_dev and st_ino,
/// `<kernel socket folder>/locks/<dev>-<ino>` and `<dev>-<ino>.r`
/// (runtime/linux/FileControl.cpp), made at its first lock and before
/// every fork of a process that holds it open. ramfs's inode numbers are
/// never given twice, so once a file is gone (no name, no open) nobody
/// can lock it again: its lock files go with it, where they stayed as
/// long as the system (3,260 of them after one battery of file tools).
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_RAMFS_LOCKFILES_H
#define K42_SERVERS_RAMFS_LOCKFILES_H

#include <cstdint>
#include <string>

namespace k42::ramfs {

/// Where the personality keeps lock files, and their removal.
class LockFiles {
public:
  /// The folder of the kernel socket at \p SocketPath holds them
  /// (`locks/`); until this is called (unit tests) nothing is removed.
  static void useSocket(const std::string &SocketPath);
  /// Removes file (\p Dev, \p Ino)'s lock files, if it has any.
  static void forget(uint64_t Dev, uint64_t Ino);
};

} // namespace k42::ramfs

#endif // K42_SERVERS_RAMFS_LOCKFILES_H
