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

/// How a ServerPool's workers wait. The defaults are what servers use;
/// tests of the wake-up protocol change them.
struct ServerPoolOptions {
  /// Pauses a worker spins for a next request after a call (0: never),
  /// whatever the channel asks; -1: what the channel asks
  /// (ServedChannel::spinsAfterCall), adapted for clients whose calls come
  /// apart.
  int SpinsAfterCall = -1;
  /// How long an idle worker sleeps before it looks at its channels again
  /// on its own (0: until woken). A request rings its channel's doorbell
  /// and wakes a sleeper when no worker is awake, and a new channel wakes
  /// one too, so this is only a backstop, and what lets a sleeper drop the
  /// channels removed meanwhile. With no limit a lost wake-up hangs a
  /// call, which is what a test of the protocol wants.
  uint64_t IdleWaitNs = 2'000'000'000;
  /// Whether a call served may wait until another call is served (a
  /// process's wait for its child's exit, which the child's exit call
  /// ends). Then a worker taking a request while every sleeper went to
  /// sleep before the newest channel came wakes one to watch it, so that
  /// a request there never waits behind this call. A server whose calls
  /// wait only for the host and for locks other calls release as they go
  /// (a file server, the name server) says false: a request on a new
  /// channel then waits at most for the call in progress, after which its
  /// worker looks at every channel, and the wake-up (a context switch in
  /// the server and often one more it causes, for every new client) is
  /// saved.
  bool CallsMayWait = true;
};

/// The workers of one process's ChannelServers.
class ServerPool {
public:
  /// The pool every ChannelServer of this process uses unless told
  /// otherwise. Made at first use and never destroyed (its workers may be
  /// serving when the process exits); a fork child gets a new, empty one,
  /// since none of the parent's workers run there.
  static ServerPool &process();

  explicit ServerPool(ServerPoolOptions Options = {});
  /// Ends the workers. Every channel must have been removed (its
  /// ChannelServer stopped) first.
  ~ServerPool();
  ServerPool(const ServerPool &) = delete;
  ServerPool &operator=(const ServerPool &) = delete;

  /// Threads started so far (for tests: the pool, not the number of
  /// channels, sets it).
  unsigned threads() const { return Total.load(); }

  /// Times a worker went to sleep: each one a wake-up someone pays for
  /// (for tests and measurements).
  uint64_t sleeps() const { return Sleeps.load(std::memory_order_relaxed); }
  /// Times a worker woke others for requests rung while it was awake
  /// (handOver).
  uint64_t handOvers() const {
    return HandOvers.load(std::memory_order_relaxed);
  }

  /// ServerPoolOptions::SpinsAfterCall from now on (for tests, which set
  /// up workers asleep and then one awake).
  void setSpinsAfterCall(int Spins) {
    FixedSpins.store(Spins, std::memory_order_relaxed);
  }

  /// ServerPoolOptions::CallsMayWait from now on: a server program says
  /// it of process() before it serves.
  void setCallsMayWait(bool MayWait) {
    CallsMayWait.store(MayWait, std::memory_order_relaxed);
  }

  /// Times a worker that took a request woke a sleeper to watch the
  /// channels added since every sleeper went to sleep (claimed(); for
  /// tests and measurements).
  uint64_t watchWakes() const {
    return WatchWakes.load(std::memory_order_relaxed);
  }

  /// Serves \p Member from now on (ChannelServer::start).
  void add(std::shared_ptr<ServedChannel> Member);
  /// Stops looking at \p Member for new requests (ChannelServer::stop,
  /// which then waits for its calls in flight). Sleeping workers may keep
  /// it, unused, until they next wake.
  void remove(const ServedChannel &Member);

  /// A worker took a request: if it was the last idle one, another
  /// starts; if the idle ones sleep without knowing every channel and
  /// calls may wait (ServerPoolOptions::CallsMayWait), one wakes to look
  /// again.
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
  /// Wakes sleepers for the requests beyond one waiting on the channels
  /// \p Moved of \p All, rung while this worker was counted awake.
  void handOver(const Members &All, const std::vector<uint32_t> &Moved);

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
  /// ServerPoolOptions::SpinsAfterCall (setSpinsAfterCall) and IdleWaitNs.
  std::atomic<int> FixedSpins;
  const uint64_t IdleWaitNs;
  /// ServerPoolOptions::CallsMayWait (setCallsMayWait).
  std::atomic<bool> CallsMayWait;
  std::atomic<uint64_t> Sleeps{0};
  std::atomic<uint64_t> HandOvers{0};
  std::atomic<uint64_t> WatchWakes{0};
};

} // namespace k42

#endif // K42_RUNTIME_IPC_SERVERPOOL_H
