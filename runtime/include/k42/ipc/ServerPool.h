//===- runtime/include/k42/ipc/ServerPool.h - Server workers ----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The threads that serve all of a process's channels. A server has a
/// channel per client process (and the Linux personality makes a process
/// per exec and fork), so a thread per channel meant a thread started and
/// ended per client, and a sleeping thread woken per call. Instead, the
/// pool's idle workers sleep on every channel's doorbell at once
/// (futex_waitv), so any of them takes any client's request, and one
/// already awake after a call picks up the next whoever sends it.
///
/// A worker that takes a request while no other worker is idle starts one
/// more, so a call that blocks never leaves other calls (of its own
/// channel or another) without a thread. Idle workers stay, asleep, for
/// the next calls. Every idle worker watches up to 127 channels; a
/// process serving more is also looked at every millisecond.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_IPC_SERVERPOOL_H
#define K42_RUNTIME_IPC_SERVERPOOL_H

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace k42 {

class ServedChannel;

/// The workers of one process's ChannelServers.
class ServerPool {
public:
  /// The pool every ChannelServer of this process uses unless told
  /// otherwise. Made at first use and never destroyed (its workers may be
  /// serving when the process exits); a fork child gets a new, empty one,
  /// since none of the parent's workers run there.
  static ServerPool &process();

  ServerPool();
  /// Ends the workers. Every channel must have been removed (its
  /// ChannelServer stopped) first.
  ~ServerPool();
  ServerPool(const ServerPool &) = delete;
  ServerPool &operator=(const ServerPool &) = delete;

  /// Threads started so far (for tests: the pool, not the number of
  /// channels, sets it).
  unsigned threads() const { return Total.load(); }

  /// Serves \p Member from now on (ChannelServer::start).
  void add(std::shared_ptr<ServedChannel> Member);
  /// Stops looking at \p Member for new requests (ChannelServer::stop,
  /// which then waits for its calls in flight). Sleeping workers may keep
  /// it, unused, until they next wake.
  void remove(const ServedChannel &Member);

  /// A worker took a request: if it was the last idle one, another
  /// starts; if the idle ones sleep without knowing every channel, one
  /// wakes to look again.
  void claimed();
  /// The worker is done with that request.
  void done();

private:
  using Members = std::vector<std::shared_ptr<ServedChannel>>;

  void workerLoop();
  /// Starts a worker; Lock held.
  void spawnLocked();
  /// Counts a worker going to sleep with the channels of generation
  /// \p Gen as one that knows every channel, if none was added since.
  bool joinWatch(uint32_t Gen);
  void leaveWatch(uint32_t Gen, bool Counted);

  std::mutex Lock;
  /// The channels served (Lock held to read or replace).
  std::shared_ptr<const Members> Current;
  std::vector<std::thread> Threads;
  /// Bumped whenever Current changes: workers take a new copy.
  std::atomic<uint32_t> Version{0};
  /// Bumped when a channel is added; every sleeping worker also waits on
  /// it, so a new channel is never left unwatched.
  std::atomic<uint32_t> Added{0};
  /// Added's value (high half) and how many sleeping workers watch every
  /// channel added up to then (low half).
  std::atomic<uint64_t> Watching{0};
  /// Workers asleep.
  std::atomic<unsigned> Sleeping{0};
  /// Workers not serving a call (including those starting).
  std::atomic<unsigned> Idle{0};
  std::atomic<unsigned> Total{0};
  std::atomic<bool> Stopping{false};
  /// How many pauses a worker that just served a call of a client whose
  /// calls come apart waits awake for the next (at most what the channel
  /// allows, ServedChannel::spinsAfterCall): doubled when that caught one,
  /// halved when not.
  std::atomic<int> SpinBudget;
};

} // namespace k42

#endif // K42_RUNTIME_IPC_SERVERPOOL_H
