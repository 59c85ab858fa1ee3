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
/// thread-local storage, no libc and no errno. A call holds a slot only
/// while it lasts (a Lease): claimed with one compare-and-swap, free again
/// after the reply is read, so no thread identity is needed (no gettid per
/// call) and two calls in flight, from two threads or from a signal
/// handler inside a call, never share one. A server that dies is noticed
/// with kill(pid, 0) from the gate while waiting, so a call never hangs.
///
/// Not a k42::Transport: the personality calls no generated stub, and the
/// interface's virtual functions would tie the preloaded library to the
/// C++ runtime (libstdc++), which every program would then load.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_GATETRANSPORT_H
#define K42_PERSONALITY_GATETRANSPORT_H

#include "k42/personality/GateLock.h"

#include "k42/ipc/Channel.h"
#include "k42/ipc/ObjectHandle.h"
#include "k42/ipc/PPCPage.h"
#include "k42/ipc/Status.h"

#include <atomic>
#include <cstddef>

namespace k42::personality {

/// A channel mapped by the personality, and calls over it.
class GateTransport {
public:
  /// Whether a fork child finds a channel's mapping. Children watch the
  /// mount table's channel (FsBridge: they count its notifications until
  /// they have their own); every other channel of a process is its own
  /// (its slots belong to its threads), so a child drops it at once:
  /// mapped MADV_DONTFORK, it never reaches the child, which then has no
  /// 2 GiB mapping to unmap per channel of its parent.
  enum class Children { DropIt, WatchIt };

  /// Maps the channel memfd \p Fd served by host process \p ServerPid.
  /// The memfd is kept, moved to a descriptor at or above FirstFd,
  /// close-on-exec, so that the process can hand the channel to the
  /// program it execs (adopt()); it is closed here on failure. \p Bytes:
  /// the channel's size as the kernel, which made and sealed it, said
  /// (Connected's Status), so neither is asked again; 0 to check both.
  /// Null with \p Error set (a negated errno) if the region is not a
  /// channel.
  static GateTransport *attach(int Fd, long ServerPid, long &Error,
                               Children Forks = Children::DropIt,
                               size_t Bytes = 0);

  /// Takes over the channel memfd \p Fd this process kept across an exec
  /// (the process is the same, so the channel is still its own). It is
  /// mapped at its first use, so a program that never calls the server
  /// costs nothing for it; a memfd that turns out not to be a channel then
  /// fails that use (calls answer EAGAIN, counts 0). Slots are held only
  /// during calls, so the old program left them free, but for a call a
  /// thread the exec ended was making: that slot stays out of use (the
  /// server may still answer it). Null with \p Error set only if there is
  /// no memory for the object.
  static GateTransport *adopt(int Fd, long ServerPid, long &Error,
                              Children Forks = Children::DropIt);

  /// A fork child's way to its parent's channel, of which it inherited
  /// \p ParentCopy (the object, not the mapping: MADV_DONTFORK) and the
  /// memfd: the new transport takes the memfd (the copy then closes
  /// nothing) and maps it at its first call. Calls through it reach the
  /// server as the parent's (a channel names its client), so they may be
  /// only calls that make and change nothing there (a path's stat) while
  /// the child's credentials are the parent's (FsBridge). A fork child's
  /// own channel costs a join: a round trip to the kernel and the
  /// server's first wake-ups, 200 us a process on the 2-processor test
  /// machine, which a shell's pipeline child that only stats its cwd
  /// before it execs then never makes. Its slots are claimed by
  /// compare-and-swap in the shared memory, as the parent's threads claim
  /// them. Never handed on across exec (the memfd stays close-on-exec).
  /// Null if the copy has no memfd or there is no memory: the child then
  /// joins, as before.
  static GateTransport *borrow(GateTransport &ParentCopy);

  /// Another holder of \p Via (a file opened through it, a parked handle):
  /// a transport is made with one holder (its maker), and the channel stays
  /// mapped until the last lets go (release()), so that a mount-table
  /// change or a dead server never unmaps it under another thread's call
  /// on one of its files: such a call ends with the channel's error
  /// instead. \p Via.
  static GateTransport *retain(GateTransport *Via);
  /// Lets go of \p Via (null is ignored); the last holder unmaps the
  /// channel and closes its memfd (the destructor). A forked child lets go
  /// of its parent's transports: their slots belong to the parent's
  /// threads.
  static void release(GateTransport *Via);

  /// Unmaps the channel and closes its memfd: through release() unless
  /// the transport has no other holder. A fork child's copy of its
  /// parent's transport unmaps nothing unless the mapping came with the
  /// fork (Children::WatchIt): the range is not the child's, and memory
  /// the child mapped since may be there.
  ~GateTransport();
  GateTransport(const GateTransport &) = delete;
  GateTransport &operator=(const GateTransport &) = delete;

  /// The channel's memfd (-1 if there was no room to keep it), and the
  /// host process serving it.
  int fd() const { return Fd; }
  long serverPid() const { return ServerPid; }

  /// Channel memfds are kept at or above this descriptor: above the
  /// kernel socket at 1000 and the fixed 1008 and 1009 of exec, and below
  /// 1024, the usual RLIMIT_NOFILE.
  static constexpr int FirstFd = 1010;

  /// One call's slot on a channel, from its request to the caller's
  /// reading of the reply: claimed when the lease is made, free again when
  /// it goes. Leases are short and live on the stack of one handler.
  class Lease {
  public:
    /// Claims a free slot of \p Via; held() says whether there was one.
    explicit Lease(GateTransport &Via);
    ~Lease();
    Lease(const Lease &) = delete;
    Lease &operator=(const Lease &) = delete;

    /// Whether a slot is held. Without one (every slot in a call) nothing
    /// else here may be used: the caller answers EAGAIN.
    bool held() const { return Slot < Via.NumSlots; }
    /// The slot's request and reply pages.
    CallBuffers &buffers() { return Via.Slots[Slot].Pages; }
    /// The slot's bulk window, for arrays larger than a page.
    BulkWindow bulk();
    /// Performs the call whose request is in buffers(): a transport error,
    /// or else the status the server left in buffers().Reply.
    Status call(const ObjectHandle &Target);

  private:
    GateTransport &Via;
    uint32_t Slot;
  };

  /// Waits for the server's answer to the join that made this channel,
  /// which the kernel answered at once (ConnectAnswerAtOnce): spinning
  /// briefly (the server is usually answering on another processor as
  /// the kernel's reply arrives), then asleep on the header's Answered,
  /// checking the server is alive. 0 and \p Root, or a negated errno:
  /// the server's refusal, ECONNRESET for a server gone first, EBADMSG
  /// for a channel that cannot be mapped.
  long awaitAnswer(ObjectHandle &Root);

  /// Whether the server process still exists.
  bool peerAlive() const;

  /// Whether either side closed the channel: a server marks a gone
  /// client's channels closed before it forgets what the client watched.
  /// A channel that cannot be mapped reads as closed.
  bool closed();

  /// How many notifications the server has sent on this channel, queued or
  /// dropped for a full ring: a count that moves whenever the server says
  /// something, read from the channel's memory with no call (the mount
  /// table's watch, for one, is told this way).
  uint32_t notificationCount();

  /// notificationCount() of the channel whose ring is \p Ring, inline: a
  /// check on a hot path (a small file's lease) that costs two loads.
  static uint32_t notificationCount(const NotifyRing &Ring) {
    return Ring.Head.load(std::memory_order_acquire) +
           Ring.Dropped.load(std::memory_order_acquire);
  }
  /// This channel's notification ring (null if it cannot be mapped).
  const NotifyRing *ring();

  /// Marks every queued notification read, so the server's ring never
  /// fills for a client that only counts them.
  void consumeNotifications();

private:
  GateTransport(int Fd, long ServerPid, Children Forks);
  /// A transport for channel memfd \p Fd, mapped now (Fd closed on
  /// failure).
  static GateTransport *map(int Fd, long ServerPid, long &Error, Children Forks,
                            size_t Bytes = 0);
  /// Maps and checks the channel, of \p Bytes if the kernel said (else
  /// its size and seals are asked); 0 or a negated errno.
  long mapNow(size_t Bytes = 0);
  /// Whether the channel is mapped, mapping it on first use.
  bool ensureMapped();
  /// A free slot's index, now Claimed; NumSlots if every slot is in use.
  uint32_t claim();
  /// Sends slot \p Slot's request to \p Handle and waits for the reply.
  Status submit(uint32_t Slot, const ObjectHandle &Handle);

  int Fd;
  long ServerPid;
  /// Whether the mapping goes to fork children (Children::WatchIt).
  Children Forks;
  /// The process that mapped the channel (ProcessState::pid()): another
  /// (a fork child) has no mapping unless Forks says so.
  long MappedBy = 0;
  /// retain() and release(): its holders.
  std::atomic<uint32_t> Holders{1};
  /// Set once the fields below are (release; they never change after).
  std::atomic<bool> Mapped{false};
  /// Serialises a first use's mapping; MapError is its failure, kept.
  GateLock MapLock;
  long MapError = 0;
  std::byte *Base = nullptr;
  size_t Size = 0;
  uint32_t NumSlots = 0;
  ChannelHeader *Header = nullptr;
  ChannelSlot *Slots = nullptr;
  NotifyRing *Ring = nullptr;
  /// How long a caller spins for its reply before it sleeps: adapted to
  /// how soon this channel's replies come (GateTransport::submit).
  std::atomic<int> SpinBudget{2000};
};

} // namespace k42::personality

#endif // K42_PERSONALITY_GATETRANSPORT_H
