//===- runtime/include/k42/ipc/NotifySender.h - Server -> client -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// K42's asynchronous messages from a server to a client: the server calls
/// one-way methods of an object the client exported to it (the client made
/// the handle with NotifyReceiver and passed it in an ordinary call), through
/// a generated stub bound to this transport. A send copies the request into
/// the channel's notification ring and returns: the server never waits for
/// the client. A full ring refuses the message with RingFull (and counts it
/// in the ring's Dropped counter, which the client can read), so the server
/// decides whether to retry, coalesce or drop; the client receives what was
/// queued in the order it was sent.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_IPC_NOTIFYSENDER_H
#define K42_RUNTIME_IPC_NOTIFYSENDER_H

#include "k42/ipc/Channel.h"
#include "k42/ipc/Transport.h"

#include <atomic>
#include <memory>
#include <mutex>

namespace k42 {

/// Sends notifications to the client of one channel. Only one-way calls
/// travel over it; everything else fails with NotSupported.
class NotifySender final : public Transport {
public:
  /// Sends into \p Chan's ring; \p Chan stays mapped while the sender
  /// lives, even after the server stops serving the channel.
  explicit NotifySender(std::shared_ptr<Channel> Chan);

  CallBuffers &buffers() override;
  Status call(const ObjectHandle &Handle, CallBuffers &Buffers) override;
  /// Queues \p Request for the client object \p Handle; RingFull if the
  /// client has not kept up, ChannelClosed once the client is gone.
  Status send(const ObjectHandle &Handle, PPCPage &Request) override;
  /// Always ok: the client checks each message's fingerprint and handle
  /// when it receives it (there is no reply to carry a verdict back).
  Status bind(const ObjectHandle &Handle, uint64_t Fingerprint) override;
  Result<ObjectHandle> giveAccess(const ObjectHandle &Handle,
                                  RightsMask Rights, ProcessId To) override;
  Status revoke(const ObjectHandle &Handle) override;

  /// Refuses every later send with ChannelClosed (the server calls this
  /// when it stops serving the client).
  void close();

private:
  std::shared_ptr<Channel> Chan;
  std::mutex Lock;
  std::atomic<bool> Closed{false};
};

} // namespace k42

#endif // K42_RUNTIME_IPC_NOTIFYSENDER_H
