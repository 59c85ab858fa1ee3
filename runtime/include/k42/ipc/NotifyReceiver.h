//===- runtime/include/k42/ipc/NotifyReceiver.h - Client side ---*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The client end of a channel's notifications: objects the client exports
/// to its server (an X object of a stubc interface whose methods are
/// K42_ONEWAY), and one thread that takes each notification off the ring and
/// dispatches it to the object its handle names, one at a time, in the order
/// the server sent them. Everything in the ring was written by the server
/// and is checked like any request: the entry is copied out before use, the
/// handle is looked up in the receiver's own table (a forged or revoked one
/// is dropped), and the X object checks fingerprint, method and payload.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_IPC_NOTIFYRECEIVER_H
#define K42_RUNTIME_IPC_NOTIFYRECEIVER_H

#include "k42/ipc/Badge.h"
#include "k42/ipc/Channel.h"
#include "k42/ipc/HandleTable.h"
#include "k42/ipc/XObject.h"

#include <atomic>
#include <functional>
#include <mutex>
#include <thread>

namespace k42 {

/// Receives one channel's notifications.
class NotifyReceiver {
public:
  /// Receives from \p Chan, which must outlive the receiver. \p Server is
  /// the badge dispatches carry; \p PeerAlive tells whether the server
  /// still runs (the thread stops when it does not).
  NotifyReceiver(Channel &Chan, Badge Server,
                 std::function<bool()> PeerAlive);
  ~NotifyReceiver();
  NotifyReceiver(const NotifyReceiver &) = delete;
  NotifyReceiver &operator=(const NotifyReceiver &) = delete;

  /// Exports \p Object to the server with \p Rights; the handle goes to the
  /// server in an ordinary call. Starts the receiving thread on first use.
  Result<ObjectHandle> exportObject(XObject &Object, RightsMask Rights);

  /// Stops exporting the object behind \p Handle: later notifications for
  /// it are dropped.
  Status revoke(const ObjectHandle &Handle);

  /// Notifications dispatched so far.
  uint64_t delivered() const { return Delivered.load(); }
  /// Notifications dropped on arrival (bad handle, malformed entry).
  uint64_t rejected() const { return Rejected.load(); }
  /// Notifications the server could not queue because the ring was full
  /// (as the server reports it).
  uint32_t overflowed() const;

  /// Stops the thread; notifications still in the ring stay there.
  void stop();

private:
  void run();
  void deliver(const NotifyEntry &Entry);

  Channel &Chan;
  Badge Server;
  std::function<bool()> PeerAlive;
  HandleTable Table;
  std::atomic<bool> Stopping{false};
  std::atomic<uint64_t> Delivered{0};
  std::atomic<uint64_t> Rejected{0};
  std::thread Thread;
  std::once_flag Started;
};

} // namespace k42

#endif // K42_RUNTIME_IPC_NOTIFYRECEIVER_H
