//===- servers/name/NameServerMain.cpp - k42-name-server ------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The name server process: registers the kernel's bootstrap path /name and
/// serves NameService to every process that connects; forgets a process's
/// names when the kernel says it is gone.
///
//===----------------------------------------------------------------------===//

#include "NameClient.h"
#include "NameServer.h"
#include "NameService.k42.h"

#include <k42/ipc/ChannelServer.h>

#include <cstdio>
#include <map>
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
  name::NameServer Names;
  name::XNameService Exported(Names);
  HandleTable Table(/*Endpoint=*/(*Link)->self().Pid);
  std::map<ProcessId, std::unique_ptr<ChannelServer>> Clients;
  if (Status S = (*Link)->registerService(name::BootstrapPath); !S) {
    std::fprintf(stderr, "name-server: cannot register %s: %s\n",
                 std::string(name::BootstrapPath).c_str(),
                 std::string(S.message()).c_str());
    return 1;
  }
  Status Done = (*Link)->serve(
      [&](const Badge &Client, std::string_view,
          Channel Chan) -> Result<ObjectHandle> {
        // Everyone may resolve and publish; publish is bound to the
        // caller's badge, so nobody can publish for someone else.
        Result<ObjectHandle> Root = Table.insert(
            Exported, name::MetaNameService::Rights::all, Client.Pid);
        if (!Root)
          return Root;
        auto Server =
            std::make_unique<ChannelServer>(std::move(Chan), Client, Table);
        Server->start();
        Clients[Client.Pid] = std::move(Server);
        return Root;
      },
      [&](const Badge &Client) {
        Names.forget(Client.Pid);
        Table.revokeOwner(Client.Pid);
        Clients.erase(Client.Pid);
      });
  Clients.clear();
  return Done.isOk() ? 0 : 1;
}
