//===- servers/name/NameServerMain.cpp - k42-name-server ------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The name server process: registers the kernel's bootstrap path /name and
/// serves NameService to every process that connects, and the mount table
/// (MountPoints) at /mounts; forgets a process's names and mounts when the
/// kernel says it is gone.
///
//===----------------------------------------------------------------------===//

#include "NameClient.h"
#include "NameServer.h"
#include "MountPoints.k42.h"
#include "MountTable.h"
#include "NameService.k42.h"

#include <k42/ipc/ServerPool.h>
#include <k42/kernel/ServiceHost.h>

#include <cstdio>
#include <memory>
#include <string>

using namespace k42;
using namespace k42::kernel;

int main() {
  Result<std::unique_ptr<KernelLink>> Link =
      KernelLink::connect("name-server", KernelLink::defaultSocketPath());
  if (!Link) {
    std::fprintf(stderr, "name-server: cannot reach the kernel: %s\n",
                 std::string(Link.status().message()).c_str());
    return 1;
  }
  if (Status S = (*Link)->registerService(name::BootstrapPath); !S) {
    std::fprintf(stderr, "name-server: cannot register %s: %s\n",
                 std::string(name::BootstrapPath).c_str(),
                 std::string(S.message()).c_str());
    return 1;
  }
  name::NameServer Names;
  name::XNameService Exported(Names);
  // The mount table lives here too (the name server is K42's mount-point
  // server): clients find it by name, like any other object.
  name::MountTable Mounts;
  name::XMountPoints ExportedMounts(Mounts);
  // No call here waits for another (a watcher is told by a notification
  // that never waits): a new client's first call need not wake a second
  // worker.
  ServerPool::process().setCallsMayWait(false);
  ServiceHost Host(**Link);
  // A watcher is told of a change by an empty notification on its channel:
  // what it watches is its ring moving (a full ring still counts, in its
  // Dropped counter), never the message.
  Mounts.setNotify([&](const Badge &Watcher) {
    std::shared_ptr<NotifySender> To = Host.notifier(Watcher);
    if (!To)
      return false;
    PPCPage Note{};
    Note.MethodId = name::MetaMountPoints::Methods::watch;
    Note.Fingerprint = name::MetaMountPoints::Fingerprint;
    Status S = To->send(ObjectHandle{}, Note);
    return S.isOk() || S.errorCode() == errc::RingFull;
  });
  if (Status S = Host.exportAt(name::MountsPath, ExportedMounts,
                               name::MetaMountPoints::Rights::all);
      !S || !Names.publish(name::MountsPath, (*Link)->self())) {
    std::fprintf(stderr, "name-server: cannot serve %s\n",
                 std::string(name::MountsPath).c_str());
    return 1;
  }
  // Everyone may resolve and publish, mount and unmount; all of them are
  // bound to the caller's badge, so nobody can act for someone else.
  Status Done = Host.serve(Exported, name::MetaNameService::Rights::all,
                           [&](const Badge &Gone) {
                             Names.forget(Gone.Pid);
                             Mounts.forget(Gone.Pid);
                           });
  return Done.isOk() ? 0 : 1;
}
