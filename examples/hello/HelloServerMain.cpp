//===- examples/hello/HelloServerMain.cpp - hello as a K42 server ---------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The hello service in a process of its own: it registers /services/hello
/// with the kernel, and for every client the kernel connects it gives that
/// client (by the badge the kernel told it) a handle to one shared
/// HelloServer, served by the generated XHello over the kernel-made channel.
/// When the kernel says a client is gone, its handles are revoked.
///
//===----------------------------------------------------------------------===//

#include "Hello.k42.h"
#include "HelloServer.h"

#include <k42/ipc/ChannelServer.h>
#include <k42/kernel/KernelLink.h>

#include "NameClient.h"

#include <cstdio>
#include <map>
#include <memory>
#include <mutex>

using namespace k42;
using namespace k42::kernel;

int main() {
  Result<std::unique_ptr<KernelLink>> Link =
      KernelLink::connect("hello-server", KernelLink::defaultSocketPath());
  if (!Link) {
    std::fprintf(stderr, "hello-server: cannot reach the kernel: %s\n",
                 std::string(Link.status().message()).c_str());
    return 1;
  }
  hello::HelloServer Server("hello");
  hello::XHello Exported(Server);
  HandleTable Table(/*Endpoint=*/(*Link)->self().Pid);
  std::map<ProcessId, std::unique_ptr<ChannelServer>> Clients;

  if (Status S = name::publish(**Link, "/services/hello"); !S) {
    std::fprintf(stderr, "hello-server: cannot publish /services/hello: %s\n",
                 std::string(S.message()).c_str());
    return 1;
  }
  Status Done = (*Link)->serve(
      [&](const Badge &Client, std::string_view,
          Channel Chan) -> Result<ObjectHandle> {
        // Every client gets every right here; a real service would decide
        // from the badge (uid, gid).
        Result<ObjectHandle> Root = Table.insert(
            Exported, hello::MetaHello::Rights::all, Client.Pid);
        if (!Root)
          return Root;
        auto Channel = std::make_unique<ChannelServer>(std::move(Chan),
                                                       Client, Table);
        Channel->start();
        Clients[Client.Pid] = std::move(Channel);
        return Root;
      },
      [&](const Badge &Client) {
        Table.revokeOwner(Client.Pid);
        Clients.erase(Client.Pid);
      });
  Clients.clear();
  return Done.isOk() ? 0 : 1;
}
