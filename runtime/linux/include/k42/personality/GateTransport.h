//===- k42/personality/GateTransport.h - PPC from handlers -----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The client end of a kernel-made PPC channel, usable inside a SIGSYS
/// handler: the channel protocol of ChannelTransport (the same memory
/// layout, slots, futex doorbells and bulk windows), but with no
/// thread-local storage, no libc and no errno. A thread's slot is found by
/// its thread id (gettid through the gate) in a claim table; slots of
/// threads that are gone are taken back when the channel runs out. A server
/// that dies is noticed with kill(pid, 0) from the gate while waiting, so a
/// call never hangs.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_GATETRANSPORT_H
#define K42_PERSONALITY_GATETRANSPORT_H

#include "k42/ipc/Channel.h"
#include "k42/ipc/Transport.h"

#include <atomic>
#include <cstddef>

namespace k42::personality {

/// A channel mapped by the personality, and calls over it.
class GateTransport final : public k42::Transport {
public:
  /// Maps the channel memfd \p Fd served by host process \p ServerPid.
  /// The memfd is kept, moved to a descriptor at or above FirstFd,
  /// close-on-exec, so that the process can hand the channel to the
  /// program it execs (adopt()); it is closed here on failure. Null with
  /// \p Error set (a negated errno) if the region is not a channel.
  static GateTransport *attach(int Fd, long ServerPid, long &Error);

  /// Maps the channel memfd \p Fd this process kept across an exec (the
  /// process is the same, so the channel is still its own). The slots the
  /// old program's threads held are free again; a slot left mid-call is
  /// left alone. Null with \p Error set if \p Fd is not a channel.
  static GateTransport *adopt(int Fd, long ServerPid, long &Error);

  /// Unmaps the channel and closes its memfd. A forked child calls it on
  /// its parent's transports: their slots belong to the parent's threads.
  ~GateTransport() override;

  /// The channel's memfd (-1 if there was no room to keep it), and the
  /// host process serving it.
  int fd() const { return Fd; }
  long serverPid() const { return ServerPid; }

  /// Channel memfds are kept at or above this descriptor: above the
  /// kernel socket at 1000 and the fixed 1008 and 1009 of exec, and below
  /// 1024, the usual RLIMIT_NOFILE.
  static constexpr int FirstFd = 1010;

  CallBuffers &buffers() override;
  BulkWindow bulk(const CallBuffers &Buffers) override;
  Status call(const ObjectHandle &Handle, CallBuffers &Buffers) override;
  Status send(const ObjectHandle &Handle, PPCPage &Request) override;
  Status bind(const ObjectHandle &Handle, uint64_t Fingerprint) override;
  /// Not needed by the personality: ENOSYS.
  Result<ObjectHandle> giveAccess(const ObjectHandle &Handle, RightsMask Rights,
                                  ProcessId To) override;
  Status revoke(const ObjectHandle &Handle) override;

  /// Whether the server process still exists.
  bool peerAlive() const;

  /// How many notifications the server has sent on this channel, queued or
  /// dropped for a full ring: a count that moves whenever the server says
  /// something, read from the channel's memory with no call (the mount
  /// table's watch, for one, is told this way).
  uint32_t notificationCount() const;

  /// notificationCount() of the channel whose ring is \p Ring, inline: a
  /// check on a hot path (a small file's lease) that costs two loads.
  static uint32_t notificationCount(const NotifyRing &Ring) {
    return Ring.Head.load(std::memory_order_acquire) +
           Ring.Dropped.load(std::memory_order_acquire);
  }
  /// This channel's notification ring.
  const NotifyRing *ring() const { return Ring; }

  /// Marks every queued notification read, so the server's ring never
  /// fills for a client that only counts them.
  void consumeNotifications();

  /// Gives back the slots thread \p Tid of another process claimed in
  /// this claim table: a posix_spawn child that called through this
  /// process's channels while it ran in its memory, now gone from it.
  void forget(long Tid);

  /// Most slots the claim table follows (the kernel makes fewer).
  static constexpr uint32_t MaxSlots = 256;

private:
  GateTransport(int Fd, std::byte *Base, size_t Size, uint32_t NumSlots,
                long ServerPid);
  /// Maps channel memfd \p Fd (closed on failure).
  static GateTransport *map(int Fd, long ServerPid, long &Error);
  /// The calling thread's slot index, claimed on its first call; NumSlots
  /// when every slot is taken by a live thread.
  uint32_t mySlot();
  Status submit(uint32_t Slot, const ObjectHandle &Handle, bool OneWay);

  int Fd;
  std::byte *Base;
  size_t Size;
  uint32_t NumSlots;
  long ServerPid;
  ChannelHeader *Header;
  ChannelSlot *Slots;
  NotifyRing *Ring;
  /// The thread id holding each slot (0: none of ours).
  std::atomic<long> Owner[MaxSlots] = {};
  /// How long a caller spins for its reply before it sleeps: adapted to
  /// how soon this channel's replies come (GateTransport::submit).
  std::atomic<int> SpinBudget{2000};
};

} // namespace k42::personality

#endif // K42_PERSONALITY_GATETRANSPORT_H
