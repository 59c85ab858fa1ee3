//===- runtime/include/k42/ipc/ChannelServer.h - Server side ----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The server end of a PPC channel: worker threads that take requests from
/// the channel's slots, resolve the target handle in the server's handle
/// table with the badge of the channel's client (never anything the client
/// wrote), and dispatch to the X object. A worker that takes a request while
/// no other worker is idle starts another, so the server has as many threads
/// of control as outstanding calls: a method that blocks holds up only its
/// own caller.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_IPC_CHANNELSERVER_H
#define K42_RUNTIME_IPC_CHANNELSERVER_H

#include "k42/ipc/Badge.h"
#include "k42/ipc/Channel.h"
#include "k42/ipc/HandleTable.h"
#include "k42/ipc/NotifySender.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace k42 {

/// Serves one client over one channel.
class ChannelServer {
public:
  /// Serves \p Chan, whose other end belongs to \p Client, with the objects
  /// of \p Table (which must outlive the server).
  ChannelServer(Channel Chan, Badge Client, HandleTable &Table);
  ~ChannelServer();
  ChannelServer(const ChannelServer &) = delete;
  ChannelServer &operator=(const ChannelServer &) = delete;

  /// Starts the first worker.
  void start();
  /// Stops and joins every worker; calls in flight finish first.
  void stop();

  /// True once the client closed the channel.
  bool clientClosed() const;

  /// Workers started so far (for tests of the thread-per-call rule).
  unsigned workers() const { return Total.load(); }

  const Badge &client() const { return Client; }

  /// The transport for notifications to this client: bind a generated stub
  /// to it with a handle the client exported (NotifyReceiver). It outlives
  /// the server if kept; once the server stops, sends fail ChannelClosed.
  std::shared_ptr<NotifySender> notifier() const { return Notifier; }

private:
  void workerLoop();
  void serve(ChannelSlot &Slot);
  void spawnWorker();

  std::shared_ptr<Channel> Chan;
  Badge Client;
  HandleTable &Table;
  std::shared_ptr<NotifySender> Notifier;
  std::atomic<bool> Stopping{false};
  std::atomic<unsigned> Idle{0};
  std::atomic<unsigned> Total{0};
  std::mutex Lock;
  std::vector<std::thread> Workers;
};

} // namespace k42

#endif // K42_RUNTIME_IPC_CHANNELSERVER_H
