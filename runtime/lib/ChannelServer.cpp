//===- runtime/lib/ChannelServer.cpp - Server side ------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/ipc/ChannelServer.h"
#include "ServedChannel.h"
#include "k42/ipc/ServerPool.h"

namespace k42 {

ChannelServer::ChannelServer(Channel Chan, Badge Client, HandleTable &Table,
                             ChannelServerOptions Options)
    : Chan(std::make_shared<Channel>(std::move(Chan))), Client(Client),
      Notifier(std::make_shared<NotifySender>(this->Chan)),
      Pool(Options.Pool ? *Options.Pool : ServerPool::process()),
      Options(Options), Served(std::make_shared<ServedChannel>(
                            this->Chan, Client, Table, Options)) {}

ChannelServer::~ChannelServer() { stop(); }

void ChannelServer::start() {
  if (Started)
    return;
  Started = true;
  Chan->header().FollowsCaller.store(Options.FollowCaller ? 1 : 0);
  Pool.add(Served);
}

void ChannelServer::stop() {
  if (Stopped)
    return;
  Stopped = true;
  Notifier->close();
  if (Started) {
    Pool.remove(*Served);
    Served->stop();
  }
}

void ChannelServer::close() {
  Notifier->close();
  Chan->header().Closed.store(1, std::memory_order_seq_cst);
}

bool ChannelServer::clientClosed() const {
  return Chan->header().Closed.load() != 0;
}

unsigned ChannelServer::workers() const { return Pool.threads(); }

} // namespace k42
