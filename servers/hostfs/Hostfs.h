//===- servers/hostfs/Hostfs.h - The k42-hostfs program ----------*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The body of k42-hostfs, in the library so that its main is one line.
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_HOSTFS_HOSTFS_H
#define K42_SERVERS_HOSTFS_HOSTFS_H

namespace k42::hostfs {

/// `k42-hostfs ROOT [--mount PATH] [--read-only | --read-write]`; returns
/// the exit code.
int hostfsMain(int Argc, char **Argv);

} // namespace k42::hostfs

#endif // K42_SERVERS_HOSTFS_HOSTFS_H
