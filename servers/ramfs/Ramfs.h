//===- servers/ramfs/Ramfs.h - The k42-ramfs program -------------*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The body of k42-ramfs, in the library so that its main is one line.
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_RAMFS_RAMFS_H
#define K42_SERVERS_RAMFS_RAMFS_H

namespace k42::ramfs {

/// `k42-ramfs [--mount PATH] [--dir PATH[=MODE]]...`; returns the exit
/// code.
int ramfsMain(int Argc, char **Argv);

} // namespace k42::ramfs

#endif // K42_SERVERS_RAMFS_RAMFS_H
