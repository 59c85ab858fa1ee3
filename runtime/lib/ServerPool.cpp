//===- runtime/lib/ServerPool.cpp - A server's workers --------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/ipc/ServerPool.h"
#include "Futex.h"
#include "ServedChannel.h"

#include <algorithm>
#include <climits>
#include <pthread.h>

namespace k42 {
namespace {

/// How long a worker sleeps when the process serves more channels than one
/// futex_waitv watches: those beyond are looked at this often.
constexpr uint64_t OverflowPollNs = 1'000'000;

/// The least and the first spin budget (ServerPool::SpinBudget). The least
/// covers the few microseconds between the calls of a burst (256 pauses:
/// about 6 us on this VM's processors): the budget halves at each spin
/// that catches nothing and doubles only at one that catches a call, so
/// below the gaps it never climbed back, and the worker slept between
/// every two calls of a client whose calls come a few microseconds apart
/// (a shell's `while read` of a K42 file: 22 us a line, two sleeps and
/// wake-ups, against 2.3 with this least; open and close 60 us against
/// 25). An SDET script's time does not move either way.
constexpr int MinSpins = 256;
constexpr int FirstSpins = 256;

std::atomic<ServerPool *> ProcessPool{nullptr};

} // namespace

ServerPool &ServerPool::process() {
  static std::once_flag Once;
  std::call_once(Once, [] {
    // The parent's workers do not run in a fork child: it starts afresh
    // (the old pool is left, its lock perhaps held by a thread that is
    // not there).
    pthread_atfork(nullptr, nullptr, [] {
      ProcessPool.store(nullptr, std::memory_order_relaxed);
    });
  });
  ServerPool *Pool = ProcessPool.load(std::memory_order_acquire);
  if (Pool)
    return *Pool;
  auto *Made = new ServerPool;
  if (ProcessPool.compare_exchange_strong(Pool, Made,
                                          std::memory_order_acq_rel))
    return *Made;
  delete Made;
  return *Pool;
}

ServerPool::ServerPool(ServerPoolOptions Options)
    : Current(std::make_shared<const Members>()), SpinBudget(FirstSpins),
      FixedSpins(Options.SpinsAfterCall), IdleWaitNs(Options.IdleWaitNs),
      CallsMayWait(Options.CallsMayWait) {}

ServerPool::~ServerPool() {
  Stopping.store(true, std::memory_order_seq_cst);
  Added.fetch_add(1, std::memory_order_seq_cst);
  detail::futexWake(Added, INT_MAX);
  std::vector<std::thread> Joining;
  {
    std::lock_guard<std::mutex> Guard(Lock);
    Joining.swap(Threads);
  }
  for (std::thread &T : Joining)
    T.join();
}

void ServerPool::add(std::shared_ptr<ServedChannel> Member) {
  {
    std::lock_guard<std::mutex> Guard(Lock);
    auto Next = std::make_shared<Members>(*Current);
    Next->push_back(std::move(Member));
    Current = std::move(Next);
    Version.fetch_add(1, std::memory_order_release);
    uint32_t Gen = Added.fetch_add(1, std::memory_order_seq_cst) + 1;
    // No sleeper knows the new channel yet.
    Watching.store(uint64_t(Gen) << 32, std::memory_order_seq_cst);
    if (Total.load() == 0)
      spawnLocked();
  }
  // One sleeper looks again, now knowing the new channel; a worker awake
  // sees Added move before it sleeps.
  if (Sleeping.load(std::memory_order_seq_cst) != 0)
    detail::futexWake(Added, 1);
}

void ServerPool::remove(const ServedChannel &Member) {
  std::lock_guard<std::mutex> Guard(Lock);
  auto Next = std::make_shared<Members>();
  Next->reserve(Current->size());
  for (const std::shared_ptr<ServedChannel> &M : *Current)
    if (M.get() != &Member)
      Next->push_back(M);
  Current = std::move(Next);
  Version.fetch_add(1, std::memory_order_release);
}

void ServerPool::claimed() {
  if (Idle.fetch_sub(1, std::memory_order_seq_cst) == 1) {
    std::lock_guard<std::mutex> Guard(Lock);
    spawnLocked();
    return;
  }
  // Another worker is idle. If all that sleep were put to sleep before the
  // newest channel came, wake one to look again, or a request there would
  // wait for this call: long, if the call waits for another.
  if (CallsMayWait.load(std::memory_order_relaxed) &&
      uint32_t(Watching.load(std::memory_order_seq_cst)) == 0 &&
      Sleeping.load(std::memory_order_seq_cst) != 0) {
    WatchWakes.fetch_add(1, std::memory_order_relaxed);
    detail::futexWake(Added, 1);
  }
}

void ServerPool::done() { Idle.fetch_add(1, std::memory_order_seq_cst); }

void ServerPool::spawnLocked() {
  if (Stopping.load())
    return;
  Total.fetch_add(1);
  Idle.fetch_add(1, std::memory_order_seq_cst);
  Threads.emplace_back([this] { workerLoop(); });
}

bool ServerPool::joinWatch(uint32_t Gen) {
  uint64_t Now = Watching.load(std::memory_order_seq_cst);
  while (uint32_t(Now >> 32) == Gen)
    if (Watching.compare_exchange_weak(Now, Now + 1, std::memory_order_seq_cst))
      return true;
  return false;
}

void ServerPool::leaveWatch(uint32_t Gen, bool Counted) {
  if (!Counted)
    return;
  // A channel added meanwhile reset the count: nothing to take back then.
  uint64_t Now = Watching.load(std::memory_order_seq_cst);
  while (uint32_t(Now >> 32) == Gen && uint32_t(Now) != 0)
    if (Watching.compare_exchange_weak(Now, Now - 1, std::memory_order_seq_cst))
      return;
}

void ServerPool::workerLoop() {
  std::shared_ptr<const Members> Set;
  // The set before this round's refresh, let go once the round's requests
  // are served: it may hold the last reference to a gone client's channel,
  // whose unmap and memfd release (tens of microseconds) then come after
  // the request that woke the worker (a new client's first, say), not
  // before it.
  std::shared_ptr<const Members> Retired;
  uint32_t SetVersion = 0;
  bool HaveSet = false;
  // Per channel of Set: its doorbell now, and when this worker last looked
  // at its slots. A doorbell that has not moved since needs no look: a
  // request rings after it is written.
  std::vector<uint32_t> Bells, Seen;
  std::vector<uint32_t> Moved;
  std::vector<detail::FutexWatch> Watches(detail::MaxWatches);
  // The spin owed to the channels served or rung since the last spin: the
  // most any of them allows, for clients whose calls come back to back
  // (Full) or come apart (Apart).
  int Full = 0, Apart = 0;
  // Whether this worker was counted awake (ChannelHeader::Awake) since it
  // last looked: rings meanwhile may have woken nobody.
  bool Owed = false;
  while (!Stopping.load(std::memory_order_relaxed)) {
    // Added is read before the set, so a channel added after this read
    // ends the sleep below at once.
    uint32_t Gen = Added.load(std::memory_order_seq_cst);
    bool Fresh = false;
    if (!HaveSet || Version.load(std::memory_order_acquire) != SetVersion) {
      std::lock_guard<std::mutex> Guard(Lock);
      Retired = std::move(Set);
      Set = Current;
      SetVersion = Version.load(std::memory_order_relaxed);
      HaveSet = Fresh = true;
      Seen.assign(Set->size(), 0);
      Bells.resize(Set->size());
    }
    const Members &All = *Set;
    size_t Count = All.size();
    for (size_t I = 0; I < Count; ++I)
      Bells[I] = All[I]->header().Doorbell.load(std::memory_order_seq_cst);
    Moved.clear();
    for (size_t I = 0; I < Count; ++I)
      if (Fresh || Bells[I] != Seen[I])
        Moved.push_back(uint32_t(I));
    if (Owed) {
      handOver(All, Moved);
      Owed = false;
    }
    bool Served = false;
    for (uint32_t I : Moved) {
      bool Rung = !Fresh && Bells[I] != Seen[I];
      Seen[I] = Bells[I];
      bool Took = All[I]->serveWaiting(*this);
      Served |= Took;
      // A call served, or a ring that brought none this worker took (its
      // request another worker's, or still being written: a large one's
      // arrays), says the client is busy: stay awake for its next request.
      if (Took || Rung) {
        int &Spin = All[I]->callsApart() ? Apart : Full;
        Spin = std::max(Spin, All[I]->spinsAfterCall());
      }
    }
    Retired.reset();
    if (Served)
      continue;
    // Stay awake a moment for the next request (the same trade as the
    // client's spin), whichever channel it comes on; then sleep. For
    // clients whose calls come apart, a spin that catches one is worth
    // twice as long next time, one that does not half: on a machine whose
    // processors the clients need, a spin that seldom pays takes from
    // them. Calls back to back get the full spin.
    int Budget = SpinBudget.load(std::memory_order_relaxed);
    int Spins = std::max(Full, std::min(Apart, Budget));
    int Fixed = FixedSpins.load(std::memory_order_relaxed);
    if (Fixed >= 0 && (Full || Apart))
      Spins = Fixed;
    bool Rang = false;
    if (Spins > 0) {
      // Counted awake on every channel: a client ringing meanwhile leaves
      // the sleepers asleep, and this worker looks at the doorbells again
      // after it stops counting (ChannelWake).
      for (size_t I = 0; I < Count; ++I)
        All[I]->header().Awake.fetch_add(1, std::memory_order_seq_cst);
      Owed = true;
      for (int Spin = 0; Spin < Spins && !Rang; ++Spin) {
        for (size_t I = 0; I < Count && !Rang; ++I)
          Rang = All[I]->header().Doorbell.load(std::memory_order_relaxed) !=
                 Bells[I];
        if (Added.load(std::memory_order_relaxed) != Gen)
          Rang = true;
        detail::cpuRelax();
      }
      for (size_t I = 0; I < Count; ++I)
        All[I]->header().Awake.fetch_sub(1, std::memory_order_seq_cst);
      if (Apart > 0 && Full == 0 && Fixed < 0)
        SpinBudget.store(Rang ? std::min(Spins * 2, Apart)
                              : std::max(Spins / 2, MinSpins),
                         std::memory_order_relaxed);
    }
    Full = Apart = 0;
    if (Rang)
      continue;
    size_t Watched = std::min<size_t>(Count, detail::MaxWatches - 1);
    // Shared, like futexWake(): the two must agree on the word's key.
    Watches[0] = {&Added, Gen, /*Private=*/false};
    for (size_t I = 0; I < Watched; ++I) {
      ChannelHeader &H = All[I]->header();
      Watches[I + 1] = {&H.Doorbell, Bells[I], /*Private=*/false};
      H.Sleepers.fetch_add(1, std::memory_order_seq_cst);
    }
    Sleeping.fetch_add(1, std::memory_order_seq_cst);
    Sleeps.fetch_add(1, std::memory_order_relaxed);
    bool Counted = joinWatch(Gen);
    detail::futexWaitAny(Watches.data(), unsigned(Watched + 1),
                         Watched < Count ? OverflowPollNs : IdleWaitNs);
    leaveWatch(Gen, Counted);
    Sleeping.fetch_sub(1, std::memory_order_seq_cst);
    for (size_t I = 0; I < Watched; ++I)
      All[I]->header().Sleepers.fetch_sub(1, std::memory_order_seq_cst);
  }
}

void ServerPool::handOver(const Members &All,
                          const std::vector<uint32_t> &Moved) {
  // Requests rung while this worker was counted awake woke no sleeper:
  // they are this worker's to see, and it serves one at a time. If more
  // than one waits, wake sleepers for the others, so that none waits
  // behind a call that blocks.
  unsigned Sleepers = Sleeping.load(std::memory_order_seq_cst);
  if (Sleepers == 0)
    return;
  unsigned Found = 0;
  for (uint32_t I : Moved) {
    Found += All[I]->waiting(Sleepers + 1 - Found);
    if (Found > Sleepers)
      break;
  }
  if (Found > 1) {
    HandOvers.fetch_add(1, std::memory_order_relaxed);
    detail::futexWake(Added, int(Found - 1));
  }
}

} // namespace k42
