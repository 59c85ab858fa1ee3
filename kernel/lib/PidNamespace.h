//===- kernel/lib/PidNamespace.h - The system's pid namespace ---*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A booted K42 system's pids are its own: the kernel process enters a new
/// pid namespace (and a mount namespace, for a /proc that names the new
/// pids) before it starts any server, and becomes pid 1 of it. The host
/// kernel then allocates every pid and tid of K42's processes inside that
/// namespace, so every id the host writes (fork's result, siginfo's si_pid,
/// SO_PEERCRED, futex owner tids, /proc/<pid>, wait statuses) is already
/// the K42 system's, with nothing to translate (kernel/README.md).
///
/// The order is the kernel's to follow: prepare() before the fork that
/// makes the kernel's process (the namespace holds the children only),
/// becomeInit() in that child, waitForInit() in a parent that stays.
///
//===----------------------------------------------------------------------===//

#ifndef K42_KERNEL_LIB_PIDNAMESPACE_H
#define K42_KERNEL_LIB_PIDNAMESPACE_H

#include "k42/ipc/Result.h"

#include <sys/types.h>

namespace k42::kernel {

/// Entering, and living as pid 1 of, the system's pid namespace.
class PidNamespace {
public:
  /// Puts the caller's future children in a new pid namespace and the
  /// caller in a new mount namespace whose mounts are slaves of the
  /// host's (host mounts still arrive, the system's never leave). On
  /// failure (EPERM: not root) the caller is where it was, so that the
  /// system can boot with the host's pids instead.
  static Status prepare();

  /// In the first child after prepare(), which is pid 1: mounts a proc of
  /// the new namespace on /proc, so /proc/<pid> names the system's pids.
  /// Returns the child's pid as the host sees it (for the boot report).
  static Result<pid_t> becomeInit();

  /// In the parent of that child, which stays outside (a kernel in the
  /// foreground): forwards SIGINT and SIGTERM to \p Init, waits for it and
  /// returns the exit status to leave with (128 + n for a signal n).
  static int waitForInit(pid_t Init);
};

} // namespace k42::kernel

#endif // K42_KERNEL_LIB_PIDNAMESPACE_H
