//===- servers/name/NameClient.cpp - Using the name server ----------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "NameClient.h"
#include "MountPoints.k42.h"
#include "NameService.k42.h"

#include <chrono>
#include <thread>

namespace k42::name {
namespace {

/// Opens the name server, retrying while it is not registered yet.
Result<kernel::ServiceConnection> nameServer(kernel::KernelLink &Link,
                                             int TimeoutMs) {
  auto Deadline = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(TimeoutMs);
  for (;;) {
    Result<kernel::ServiceConnection> C = Link.connectService(BootstrapPath);
    if (C || C.status().errorCode() != ENOENT ||
        std::chrono::steady_clock::now() > Deadline)
      return C;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

/// The name server's stub, over \p Connection (kept alive by the caller).
Result<StubNameService> nameService(kernel::KernelLink &Link, int TimeoutMs,
                                    kernel::ServiceConnection &Connection) {
  Result<kernel::ServiceConnection> C = nameServer(Link, TimeoutMs);
  if (!C)
    return C.status();
  Connection = std::move(*C);
  return StubNameService::bind(*Connection.Transport, Connection.Root);
}

} // namespace

Status publish(kernel::KernelLink &Link, std::string_view Path,
               int TimeoutMs) {
  kernel::ServiceConnection Connection;
  Result<StubNameService> Names = nameService(Link, TimeoutMs, Connection);
  if (!Names)
    return Names.status();
  if (Status S = Names->publish(Path); !S)
    return S;
  // Then tell the kernel this process takes clients: the kernel counts a
  // booting server as up from here, when its name already resolves.
  return Link.registerService("");
}

Status publishMount(kernel::KernelLink &Link, std::string_view Path,
                    std::string_view MountPath, uint32_t Flags,
                    int TimeoutMs) {
  kernel::ServiceConnection Connection;
  Result<StubNameService> Names = nameService(Link, TimeoutMs, Connection);
  if (!Names)
    return Names.status();
  if (Status S = Names->publish(Path); !S)
    return S;
  Result<kernel::ServiceConnection> Table =
      open(Link, MountsPath, TimeoutMs);
  if (!Table)
    return Table.status();
  Result<StubMountPoints> Mounts =
      StubMountPoints::bind(*Table->Transport, Table->Root);
  if (!Mounts)
    return Mounts.status();
  if (Status S = Mounts->mount(MountPath, Path, Flags); !S)
    return S;
  return Link.registerService("");
}

Result<kernel::ServiceConnection> open(kernel::KernelLink &Link,
                                       std::string_view Path,
                                       int TimeoutMs) {
  kernel::ServiceConnection Connection;
  Result<StubNameService> Names = nameService(Link, TimeoutMs, Connection);
  if (!Names)
    return Names.status();
  uint32_t Server = 0;
  if (Status S = Names->resolve(Path, Server); !S)
    return S;
  return Link.connectProcess(Server, Path);
}

} // namespace k42::name
