//===- runtime/include/k42/ipc/Badge.h - Caller identity --------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The badge: who is calling. The kernel attaches it to a channel when it
/// creates the channel, so a server learns the caller from the channel and
/// never from message content. Methods receive it through a K42_CALLER
/// parameter.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_IPC_BADGE_H
#define K42_RUNTIME_IPC_BADGE_H

#include <cstdint>

namespace k42 {

/// A K42 process id.
using ProcessId = uint32_t;

/// The identity of a caller, as guaranteed by the kernel.
struct Badge {
  /// The caller's K42 process id.
  ProcessId Pid = 0;
  /// The caller's credentials when its channel was made.
  uint32_t Uid = 0;
  uint32_t Gid = 0;
  /// Which of the caller's channels the call arrived on, as the serving
  /// process numbers them (ServiceHost does; 0 where nobody does), so a
  /// server can answer on the channel a request came from, e.g. with
  /// notifications.
  uint32_t Channel = 0;

  friend constexpr bool operator==(const Badge &, const Badge &) = default;
};

} // namespace k42

#endif // K42_RUNTIME_IPC_BADGE_H
