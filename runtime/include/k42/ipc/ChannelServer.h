//===- runtime/include/k42/ipc/ChannelServer.h - Server side ----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The server end of a PPC channel: requests taken from the channel's
/// slots by the workers of the process's ServerPool, the target handle
/// resolved in the server's handle table with the badge of the channel's
/// client (never anything the client wrote), and dispatched to the X
/// object. A worker that takes a request while no other worker is idle
/// starts another, so the server has as many threads of control as
/// outstanding calls: a method that blocks holds up only its own caller.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_IPC_CHANNELSERVER_H
#define K42_RUNTIME_IPC_CHANNELSERVER_H

#include "k42/ipc/Badge.h"
#include "k42/ipc/Channel.h"
#include "k42/ipc/HandleTable.h"
#include "k42/ipc/NotifySender.h"

#include <memory>

namespace k42 {

class ServedChannel;
class ServerPool;

/// How a ChannelServer runs its workers.
struct ChannelServerOptions {
  /// Move the worker serving each call onto the caller's processor, as K42
  /// does, and have callers sleep rather than spin while they wait. On a
  /// hosted system this trades a sleep and a wake-up per call for cache
  /// locality; bench/ppc measures both (see bench/README.md). Off by
  /// default: either way CallContext::Processor names the caller's
  /// processor, so per-processor state follows the caller.
  bool FollowCaller = false;
  /// The workers that serve the channel; nullptr: the process's
  /// (ServerPool::process()). It must outlive the ChannelServer.
  ServerPool *Pool = nullptr;
};

/// Serves one client over one channel.
class ChannelServer {
public:
  /// Serves \p Chan, whose other end belongs to \p Client, with the objects
  /// of \p Table (which must outlive the server).
  ChannelServer(Channel Chan, Badge Client, HandleTable &Table,
                ChannelServerOptions Options = {});
  ~ChannelServer();
  ChannelServer(const ChannelServer &) = delete;
  ChannelServer &operator=(const ChannelServer &) = delete;

  /// Hands the channel to the pool's workers.
  void start();
  /// Takes the channel from the pool's workers; calls in flight finish
  /// first. Safe to call more than once.
  void stop();

  /// Marks the channel closed (ChannelHeader::Closed) and refuses further
  /// notifications, without waiting for calls in flight: a server
  /// forgetting a gone client does this first, so a process watching the
  /// channel's notification count (a fork child counting its parent's
  /// mount-table notifications) sees it closed before the server forgets
  /// what the client watched, and never misses a change.
  void close();

  /// True once the client closed the channel.
  bool clientClosed() const;

  /// Workers the pool serving this channel started so far (for tests of
  /// the thread-per-call rule).
  unsigned workers() const;

  const Badge &client() const { return Client; }

  /// The transport for notifications to this client: bind a generated stub
  /// to it with a handle the client exported (NotifyReceiver). It outlives
  /// the server if kept; once the server stops, sends fail ChannelClosed.
  std::shared_ptr<NotifySender> notifier() const { return Notifier; }

private:
  std::shared_ptr<Channel> Chan;
  Badge Client;
  std::shared_ptr<NotifySender> Notifier;
  ServerPool &Pool;
  ChannelServerOptions Options;
  /// What the pool's workers serve; theirs too until they let go.
  std::shared_ptr<ServedChannel> Served;
  bool Started = false;
  bool Stopped = false;
};

} // namespace k42

#endif // K42_RUNTIME_IPC_CHANNELSERVER_H
