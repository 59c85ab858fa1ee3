//===- servers/name/NameClient.h - Using the name server --------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// What servers and clients do with names: a server publishes its paths, a
/// client opens a path. Both talk to the name server, which they reach
/// through the kernel's one bootstrap path, /name.
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_NAME_NAMECLIENT_H
#define K42_SERVERS_NAME_NAMECLIENT_H

#include <k42/kernel/KernelLink.h>

#include <cstdint>
#include <string_view>

namespace k42::name {

/// The kernel path of the name server itself.
inline constexpr std::string_view BootstrapPath = "/name";

/// The name of the mount table (MountPoints.h), served by the name server.
inline constexpr std::string_view MountsPath = "/mounts";

/// Publishes \p Path as served by this process. Waits up to \p TimeoutMs
/// for the name server while the system boots.
Status publish(kernel::KernelLink &Link, std::string_view Path,
               int TimeoutMs = 5000);

/// What a file server does at start: publishes \p Path as served by this
/// process, mounts that object at \p MountPath with \p Flags
/// (MountPoints.h), and only then tells the kernel it takes clients, so
/// that once the system is up its mounts are in the table.
Status publishMount(kernel::KernelLink &Link, std::string_view Path,
                    std::string_view MountPath, uint32_t Flags,
                    int TimeoutMs = 5000);

/// Resolves \p Path with the name server and opens a channel to the process
/// serving it.
Result<kernel::ServiceConnection> open(kernel::KernelLink &Link,
                                       std::string_view Path,
                                       int TimeoutMs = 5000);

} // namespace k42::name

#endif // K42_SERVERS_NAME_NAMECLIENT_H
