//===- runtime/include/k42/ipc/ChannelWake.h - Who wakes whom ---*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The wake-up rules of a PPC channel, in one place for its three users:
/// ChannelTransport and the Linux personality's GateTransport (clients)
/// and the ServerPool's workers (server). A futex wake-up costs the waker
/// a system call and the woken thread a context switch; most calls need
/// neither, because the other side is still awake, spinning. Each rule is
/// a store and a load on each side, all sequentially consistent, so that
/// of two racing sides at least one sees the other: either the waiting
/// side sees the change before it sleeps, or the changing side sees that
/// it sleeps and wakes it. No wake-up is lost.
///
///   Request: the client publishes the request, bumps the doorbell, then
///   reads Sleepers and Awake; a worker about to sleep counts itself in
///   Sleepers, leaves Awake, and sleeps only while the doorbell still holds
///   the value it last looked at (futex_waitv compares it). A worker that
///   leaves Awake after a spin looks at the doorbells again, so a ring that
///   saw it awake is never missed.
///
///   Reply: the server publishes the reply (State), then reads the slot's
///   Waiting; the client sets Waiting before it reads State one last time
///   and sleeps.
///
/// Only functions of the header and the slot, no host calls, so the
/// personality's handlers use them too.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_IPC_CHANNELWAKE_H
#define K42_RUNTIME_IPC_CHANNELWAKE_H

#include "k42/ipc/Channel.h"

namespace k42 {

/// The channel's wake-up rules (see the file comment).
struct ChannelWake {
  /// Rings \p H's doorbell for a request already in its slot; true if
  /// the caller must then wake one worker (a futex wake of the doorbell):
  /// one sleeps and none is awake to see the ring.
  static bool ring(ChannelHeader &H) {
    H.Doorbell.fetch_add(1, std::memory_order_seq_cst);
    return H.Sleepers.load(std::memory_order_seq_cst) != 0 &&
           H.Awake.load(std::memory_order_seq_cst) == 0;
  }

  /// How many pauses a client that rang without a wake-up (a worker was
  /// awake) waits for a worker to take its request (State leaves
  /// Requested) before it wakes a sleeper after all: a worker counted
  /// awake may have been preempted, on a machine with more runnable
  /// threads than processors, and would take the request only when it
  /// runs again. A worker that runs takes it within one look at its
  /// channels.
  static constexpr int PickupSpins = 100;

  /// After a ring that woke nobody: whether a worker should be woken
  /// anyway, because none took \p Slot's request within PickupSpins
  /// checks (each followed by \p Relax) while one sleeps.
  template <typename RelaxFn>
  static bool unclaimed(const ChannelHeader &H, const ChannelSlot &Slot,
                        RelaxFn &&Relax) {
    for (int Spin = 0; Spin < PickupSpins; ++Spin) {
      if (Slot.State.load(std::memory_order_acquire) !=
          uint32_t(SlotState::Requested))
        return false;
      Relax();
    }
    return Slot.State.load(std::memory_order_seq_cst) ==
               uint32_t(SlotState::Requested) &&
           H.Sleepers.load(std::memory_order_seq_cst) != 0;
  }

  /// Whether a worker would have to be woken to see a ring now (a client
  /// about to spend a while on a large request may ring early then).
  static bool nobodyAwake(const ChannelHeader &H) {
    return H.Sleepers.load(std::memory_order_relaxed) != 0 &&
           H.Awake.load(std::memory_order_relaxed) == 0;
  }

  /// Client: about to sleep on \p Slot's State. Returns the State to
  /// sleep on (futex wait while it holds that value), which is the answer
  /// itself if it came meanwhile.
  static uint32_t prepareSleep(ChannelSlot &Slot) {
    Slot.Waiting.store(1, std::memory_order_seq_cst);
    return Slot.State.load(std::memory_order_seq_cst);
  }

  /// Client: the answer is read; the next wait starts awake.
  static void awake(ChannelSlot &Slot) {
    Slot.Waiting.store(0, std::memory_order_relaxed);
  }

  /// Server: publishes \p State (Replied or Accepted) in \p Slot; true if
  /// the client must then be woken (a futex wake of State).
  static bool answer(ChannelSlot &Slot, SlotState State) {
    Slot.State.store(uint32_t(State), std::memory_order_seq_cst);
    return Slot.Waiting.load(std::memory_order_seq_cst) != 0;
  }
};

} // namespace k42

#endif // K42_RUNTIME_IPC_CHANNELWAKE_H
