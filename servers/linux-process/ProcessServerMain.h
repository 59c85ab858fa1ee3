//===- servers/linux-process/ProcessServerMain.h - The programs -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The bodies of k42-linux-process (the server) and k42-linux-ps (its
/// process list), in the library so that each main is one line.
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_LINUXPROCESS_PROCESSSERVERMAIN_H
#define K42_SERVERS_LINUXPROCESS_PROCESSSERVERMAIN_H

namespace k42::linuxproc {

/// `k42-linux-process`: serves the Linux process tree at ServicePath until
/// the kernel shuts the system down; returns the exit code.
int processServerMain(int Argc, char **Argv);

/// `k42-linux-ps`: the running system's Linux process tree, one process a
/// line (pid, parent, group, session, uids, state, flags); returns the
/// exit code.
int psMain(int Argc, char **Argv);

} // namespace k42::linuxproc

#endif // K42_SERVERS_LINUXPROCESS_PROCESSSERVERMAIN_H
