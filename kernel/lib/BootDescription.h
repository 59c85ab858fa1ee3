//===- kernel/lib/BootDescription.h - What to start at boot -----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A boot description lists the servers the kernel starts, one per line,
/// and how the system is set up:
///
///   # comment
///   namespace pid
///   server <program> [arguments...]
///
/// A relative program path is relative to the description's own folder.
/// `namespace pid` gives the system a pid namespace of its own, with the
/// kernel as pid 1 (PidNamespace.h), unless the kernel cannot make one or
/// is told --host-pids.
///
//===----------------------------------------------------------------------===//

#ifndef K42_KERNEL_LIB_BOOTDESCRIPTION_H
#define K42_KERNEL_LIB_BOOTDESCRIPTION_H

#include "k42/ipc/Result.h"

#include <string>
#include <vector>

namespace k42::kernel {

/// One server to start: argv[0] is the program's path.
struct BootEntry {
  std::vector<std::string> Argv;
};

/// A parsed boot description.
struct BootDescription {
  std::vector<BootEntry> Servers;
  /// `namespace pid`: the system's pids are its own.
  bool PidNamespace = false;

  /// Reads \p Path; a malformed line is reported on stderr with its number
  /// (unless \p Quiet: the kernel's first look, before its log is open)
  /// and makes the load fail with EINVAL.
  static Result<BootDescription> load(const std::string &Path,
                                      bool Quiet = false);
};

} // namespace k42::kernel

#endif // K42_KERNEL_LIB_BOOTDESCRIPTION_H
