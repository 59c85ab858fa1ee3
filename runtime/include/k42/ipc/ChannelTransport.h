//===- runtime/include/k42/ipc/ChannelTransport.h - Client side -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The client end of a PPC channel: generated stubs call through it to an
/// X object in another process. Each calling thread gets a slot of its own
/// on first use and keeps it until it exits, so calls from different threads
/// never wait for each other on the client side.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_IPC_CHANNELTRANSPORT_H
#define K42_RUNTIME_IPC_CHANNELTRANSPORT_H

#include "k42/ipc/Channel.h"
#include "k42/ipc/NotifyReceiver.h"
#include "k42/ipc/Transport.h"

#include <cstdint>
#include <memory>
#include <mutex>

namespace k42 {

/// Calls across processes over one channel.
class ChannelTransport final : public Transport {
public:
  /// A transport over \p Chan. \p PeerPidfd, if not -1, is a pidfd of the
  /// server process (owned by the transport): a call waiting on a server
  /// that died then fails with PeerDied within a poll interval instead of
  /// hanging.
  explicit ChannelTransport(Channel Chan, int PeerPidfd = -1);
  ~ChannelTransport() override;

  CallBuffers &buffers() override;
  BulkWindow bulk(const CallBuffers &Buffers) override;
  Status call(const ObjectHandle &Handle, CallBuffers &Buffers) override;
  Status send(const ObjectHandle &Handle, PPCPage &Request) override;
  Status bind(const ObjectHandle &Handle, uint64_t Fingerprint) override;
  Result<ObjectHandle> giveAccess(const ObjectHandle &Handle,
                                  RightsMask Rights, ProcessId To) override;
  Status revoke(const ObjectHandle &Handle) override;

  /// Tells the server this client is done; later calls fail with
  /// ChannelClosed.
  void close();

  /// This channel's notifications from the server: export an object there
  /// and pass its handle to the server in a call. Created on first use.
  NotifyReceiver &notifications();

  /// How long a waiting call sleeps between checks that the server lives.
  static constexpr uint64_t PollIntervalNs = 100'000'000;

  /// How many times a caller checks for the reply before it sleeps (each
  /// check is followed by a pause instruction, some tens of nanoseconds).
  static constexpr int SpinIterations = 4000;

  /// For tests of the wake-up protocol, which want calls to sleep or to
  /// race and a lost wake-up to hang: callers check for the reply
  /// \p SpinIterations times before they sleep (0: sleep at once), and
  /// sleep \p PollNs at a time between checks that the server lives (0:
  /// until woken).
  void setWaits(int SpinIterations, uint64_t PollNs) {
    Spins = SpinIterations;
    Poll = PollNs;
  }

  /// The shared state thread-exit handlers use to give slots back.
  struct Leases;

private:
  ChannelSlot &mySlot();
  Status submit(ChannelSlot &Slot, const ObjectHandle &Handle, bool OneWay);
  bool peerAlive() const;

  Channel Chan;
  int PeerPidfd;
  uint64_t Id;
  std::shared_ptr<Leases> Shared;
  std::mutex ReceiverLock;
  std::unique_ptr<NotifyReceiver> Receiver;
  int Spins = SpinIterations;
  uint64_t Poll = PollIntervalNs;
};

} // namespace k42

#endif // K42_RUNTIME_IPC_CHANNELTRANSPORT_H
