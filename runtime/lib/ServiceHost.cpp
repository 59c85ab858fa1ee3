//===- runtime/lib/ServiceHost.cpp - A server's loop ----------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/kernel/ServiceHost.h"

namespace k42::kernel {

ServiceHost::ServiceHost(KernelLink &Link)
    : Link(Link), Table(/*Endpoint=*/Link.self().Pid) {}

ServiceHost::~ServiceHost() { Clients.clear(); }

Status ServiceHost::serve(XObject &Root, RightsMask Rights,
                          std::function<void(const Badge &)> OnGone) {
  return Link.serve(
      [&](const Badge &Client, std::string_view,
          Channel Chan) -> Result<ObjectHandle> {
        Result<ObjectHandle> Handle = Table.insert(Root, Rights, Client.Pid);
        if (!Handle)
          return Handle;
        auto Server =
            std::make_unique<ChannelServer>(std::move(Chan), Client, Table);
        Server->start();
        Clients[Client.Pid] = std::move(Server);
        return Handle;
      },
      [&](const Badge &Client) {
        if (OnGone)
          OnGone(Client);
        Table.revokeOwner(Client.Pid);
        Clients.erase(Client.Pid);
      });
}

} // namespace k42::kernel
