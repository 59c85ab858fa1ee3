//===- runtime/lib/ServiceHost.cpp - A server's loop ----------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/kernel/ServiceHost.h"

#include <tuple>
#include <vector>

namespace k42::kernel {

ServiceHost::ServiceHost(KernelLink &Link)
    : Link(Link), Table(/*Endpoint=*/Link.self().Pid) {}

ServiceHost::~ServiceHost() {
  std::map<std::pair<ProcessId, uint32_t>, std::unique_ptr<ChannelServer>>
      Gone;
  {
    std::lock_guard<std::mutex> Guard(ClientsLock);
    Gone.swap(Clients);
  }
}

std::shared_ptr<NotifySender> ServiceHost::notifier(const Badge &Caller) {
  std::lock_guard<std::mutex> Guard(ClientsLock);
  auto It = Clients.find({Caller.Pid, Caller.Channel});
  return It == Clients.end() ? nullptr : It->second->notifier();
}

Status ServiceHost::exportAt(std::string_view Path, XObject &Object,
                             RightsMask Rights) {
  if (Path.empty() || Path.front() != '/')
    return Status::error(EINVAL);
  if (!Exported.emplace(std::string(Path), std::make_pair(&Object, Rights))
           .second)
    return Status::error(EEXIST);
  return Status::ok();
}

Status ServiceHost::serve(XObject &Root, RightsMask Rights,
                          std::function<void(const Badge &)> OnGone) {
  return Link.serve(
      [&](const Badge &Client, std::string_view Path,
          Channel &&Chan) -> Result<ObjectHandle> {
        XObject *Object = &Root;
        RightsMask Granted = Rights;
        if (auto It = Exported.find(Path); It != Exported.end())
          std::tie(Object, Granted) = It->second;
        else if (Path.starts_with("/k42/"))
          return Status::error(ENOENT); // A system object not served here.
        Result<ObjectHandle> Handle =
            Table.insert(*Object, Granted, Client.Pid);
        if (!Handle)
          return Handle;
        Badge Numbered = Client;
        Numbered.Channel = NextChannel++;
        auto Server =
            std::make_unique<ChannelServer>(std::move(Chan), Numbered, Table);
        Server->start();
        std::lock_guard<std::mutex> Guard(ClientsLock);
        Clients[{Client.Pid, Numbered.Channel}] = std::move(Server);
        return Handle;
      },
      [&](const Badge &Client) {
        // Stopped outside the lock: stopping waits for calls in flight,
        // which may be asking for a notifier.
        std::vector<std::unique_ptr<ChannelServer>> Gone;
        {
          std::lock_guard<std::mutex> Guard(ClientsLock);
          auto It = Clients.lower_bound({Client.Pid, 0});
          while (It != Clients.end() && It->first.first == Client.Pid) {
            Gone.push_back(std::move(It->second));
            It = Clients.erase(It);
          }
        }
        // Its channels read as closed before anything it watched is
        // forgotten (ChannelServer::close).
        for (std::unique_ptr<ChannelServer> &Server : Gone)
          Server->close();
        if (OnGone)
          OnGone(Client);
        Table.revokeOwner(Client.Pid);
      });
}

} // namespace k42::kernel
