//===- runtime/include/k42/ipc/Channel.h - A PPC channel --------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A PPC channel: one shared-memory region (a memfd) mapped by exactly one
/// client process and one server process. It holds a doorbell the server's
/// workers sleep on and one slot per calling client thread; a slot is a
/// futex word, the target handle, and a request and a reply page. After the
/// slots comes a ring of notifications from the server to the client. Each slot
/// also owns a bulk window (BulkWindow.h) after the slots, for arrays too
/// large for its pages, which costs address space and only the memory a
/// large call actually touches. Whoever
/// creates the memfd decides who gets it, which is how the kernel alone can
/// make channels and the server knows its caller from the channel itself.
///
/// Slot protocol (the slot's State word, also its futex):
///
///   Free -> Claimed        a client thread takes the slot for its lifetime
///   Claimed -> Requested   the client wrote a request and rang the doorbell
///   Requested -> Serving   a server worker took it
///   Serving -> Replied     the reply is in the slot; the client is woken
///   Serving -> Accepted    one-way: the server has copied the request
///   Replied/Accepted -> Claimed   the client read what it needed
///
/// Who wakes whom (ChannelWake.h): a ring wakes a sleeping worker only if
/// no worker is awake watching the doorbell, and a reply wakes the client
/// only if it said it sleeps.
///
/// Every field the other side writes is treated as hostile: slot indices,
/// states and lengths are checked before use.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_IPC_CHANNEL_H
#define K42_RUNTIME_IPC_CHANNEL_H

#include "k42/ipc/BulkWindow.h"
#include "k42/ipc/ObjectHandle.h"
#include "k42/ipc/PPCPage.h"
#include "k42/ipc/Result.h"

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace k42 {

/// The states of a channel slot.
enum class SlotState : uint32_t {
  Free = 0,
  Claimed = 1,
  Requested = 2,
  Serving = 3,
  Replied = 4,
  Accepted = 5,
};

/// One calling thread's place in a channel.
struct alignas(64) ChannelSlot {
  std::atomic<uint32_t> State{0};
  /// Nonzero while the client sleeps (or is about to) on State for its
  /// reply: the server makes the futex wake-up only then, not for a client
  /// still spinning (ChannelWake).
  std::atomic<uint32_t> Waiting{0};
  /// 1 for a one-way request.
  uint32_t OneWay = 0;
  /// The processor the caller ran on when it made the request (a hint:
  /// the server checks it before use).
  uint32_t CallerCpu = 0;
  /// The object the request is for.
  ObjectHandle Target;
  CallBuffers Pages;
};

/// One notification: a one-way request from the server for an object the
/// client exported to it (see NotifySender and NotifyReceiver).
struct alignas(64) NotifyEntry {
  ObjectHandle Target;
  PPCPage Page;
};

/// The server -> client notification ring: one producer (the server, which
/// serialises its own threads), one consumer (the client's receiver thread).
/// Head and Tail count entries ever written and read; each side trusts only
/// its own counter.
struct alignas(64) NotifyRing {
  static constexpr uint32_t Entries = 64;
  /// Written by the server; also the futex the receiver sleeps on.
  std::atomic<uint32_t> Head;
  /// Nonzero while the receiver sleeps on Head.
  std::atomic<uint32_t> Sleeping;
  /// Written by the client.
  alignas(64) std::atomic<uint32_t> Tail;
  /// Notifications the server could not queue because the ring was full.
  alignas(64) std::atomic<uint32_t> Dropped;
  NotifyEntry Ring[Entries];
};

/// The start of a channel's shared memory.
struct alignas(64) ChannelHeader {
  static constexpr uint64_t MagicValue = 0x4b3432434841ull; // "K42CHA"
  uint64_t Magic;
  uint32_t Version;
  uint32_t NumSlots;
  /// Bumped and woken on every request.
  alignas(64) std::atomic<uint32_t> Doorbell;
  /// Server workers asleep on the doorbell.
  std::atomic<uint32_t> Sleepers;
  /// Server workers awake and idle, watching this doorbell (spinning for a
  /// next request): a client that rings while one is needs to wake none,
  /// since that worker looks at the channel before it does anything else
  /// (ChannelWake).
  std::atomic<uint32_t> Awake;
  /// One past the highest slot a client ever claimed (raised by the
  /// client before the slot's first request, ChannelLayout::markUsed):
  /// the server's workers look at the slots below it only, not at every
  /// slot's page of a channel most of whose slots are never used. A client
  /// that lowers it only makes its own requests wait.
  std::atomic<uint32_t> SlotsUsed;
  /// Set by a server that moves each call to its caller's processor: the
  /// caller then sleeps at once instead of spinning, to leave that
  /// processor to the server.
  std::atomic<uint32_t> FollowsCaller;
  /// Set by a client whose calls come apart rather than back to back (the
  /// Linux personality's, each made between two traps of a program): the
  /// server's workers then spin only briefly for a next call before they
  /// sleep, rather than keep a processor busy the program needs.
  std::atomic<uint32_t> CallsApart;
  /// Set (and the doorbell rung) when either side closes the channel.
  alignas(64) std::atomic<uint32_t> Closed;
  /// A join answered at once by the kernel (KernelProtocol.h,
  /// ConnectAnswerAtOnce): the server's answer, RootStatus (0 or a
  /// k42::Status raw error) and Root, written before Answered becomes 1
  /// (also the futex the client sleeps on, having set AnswerWaited, so
  /// that the server makes the wake-up only for a client asleep). The
  /// client reads the answer once and trusts it no more than a reply: a
  /// root handle is checked by the server at every call.
  alignas(64) std::atomic<uint32_t> Answered;
  std::atomic<uint32_t> AnswerWaited;
  int64_t RootStatus;
  ObjectHandle Root;
};

/// Where things are in a channel's memory: the header, the slots, the
/// notification ring, then (page-aligned) a bulk window per slot. Both
/// ends use it: Channel here, and the Linux personality's transport, which
/// maps channels without the rest of this runtime.
struct ChannelLayout {
  /// What ChannelHeader::Version says; bumped when the layout changes.
  static constexpr uint32_t Version = 7;
  /// Enough for 64 calling threads per client process and channel.
  static constexpr uint32_t MaxSlots = 1024;
  static constexpr size_t PageBytes = 4096;

  /// Where the slots start: after the header.
  static constexpr size_t headerBytes() {
    return (sizeof(ChannelHeader) + alignof(ChannelSlot) - 1) &
           ~(alignof(ChannelSlot) - 1);
  }
  /// Where the notification ring starts: after the slots.
  static constexpr size_t ringStart(uint32_t NumSlots) {
    return headerBytes() + size_t(NumSlots) * sizeof(ChannelSlot);
  }
  /// Where the bulk windows start: after the ring, on a page boundary.
  static constexpr size_t bulkStart(uint32_t NumSlots) {
    return (ringStart(NumSlots) + sizeof(NotifyRing) + PageBytes - 1) &
           ~(PageBytes - 1);
  }
  /// Bytes a channel with \p NumSlots slots occupies.
  static constexpr size_t sizeFor(uint32_t NumSlots) {
    return bulkStart(NumSlots) + size_t(NumSlots) * BulkWindow::Size;
  }
  /// The bytes a client's first call touches, from the start: the header,
  /// and the first slot up to its reply's header (its reply page is
  /// last), in whole pages. The Linux personality maps them at once
  /// (MADV_POPULATE_WRITE) rather than a page fault each, and the kernel
  /// makes them when it makes the channel (Channel::createRegion), ahead
  /// of the join, so that the client only maps pages that are there.
  static constexpr size_t firstCallBytes() {
    return (headerBytes() + sizeof(ChannelSlot) - sizeof(PPCPage) +
            PPCPage::HeaderSize + PageBytes - 1) &
           ~(PageBytes - 1);
  }
  /// Tells the server that slot \p Slot of \p H is in use (a client calls
  /// it once it claimed the slot, before the slot's first request), so
  /// its workers look that far: ChannelHeader::SlotsUsed.
  static void markUsed(ChannelHeader &H, uint32_t Slot) {
    uint32_t Used = H.SlotsUsed.load(std::memory_order_relaxed);
    while (Used <= Slot && !H.SlotsUsed.compare_exchange_weak(
                               Used, Slot + 1, std::memory_order_seq_cst))
      ;
  }
  /// Whether \p H, with \p NumSlots slots, describes a channel that fits
  /// in \p Mapped bytes. The other side can write the header: read
  /// NumSlots from it once, check it here, and use only that copy.
  static bool fits(const ChannelHeader &H, uint32_t NumSlots, size_t Mapped) {
    return H.Magic == ChannelHeader::MagicValue && H.Version == Version &&
           NumSlots != 0 && NumSlots <= MaxSlots &&
           sizeFor(NumSlots) <= Mapped;
  }
};

/// A mapped channel. Movable, not copyable; unmaps and closes on
/// destruction.
class Channel {
public:
  /// Makes a new channel with \p NumSlots slots in a fresh memfd.
  static Result<Channel> create(uint32_t NumSlots);

  /// The memfd create() makes (sealed, its header written), not mapped:
  /// for the kernel, which only hands channels on and never calls through
  /// them, so a map, the header page's fault and an unmap of the whole
  /// region per channel would be work for nothing. The pages a client's
  /// first call touches (ChannelLayout::firstCallBytes) and the page of
  /// the notification ring's counters are written too (zeros): made here,
  /// ahead of the join, rather than by the joining client, whose time is
  /// the program's. The caller owns the descriptor.
  static Result<int> createRegion(uint32_t NumSlots);

  /// Maps the channel in \p Fd (taking ownership of it), checking its
  /// header: a malformed or truncated region is an error, not a crash.
  /// \p Bytes: its size as the kernel, which made and sealed it, said in
  /// the message that brought it (KernelProtocol.h), so that neither is
  /// asked again; 0 to ask both (a channel from anyone else).
  static Result<Channel> attach(int Fd, size_t Bytes = 0);

  Channel(Channel &&Other) noexcept;
  Channel &operator=(Channel &&Other) noexcept;
  Channel(const Channel &) = delete;
  Channel &operator=(const Channel &) = delete;
  ~Channel();

  /// The memfd, to hand to the other side (e.g. with SCM_RIGHTS).
  int fd() const { return Fd; }
  ChannelHeader &header() const { return *Header; }
  uint32_t numSlots() const { return NumSlots; }
  /// Slot \p Index; \p Index must be below numSlots().
  ChannelSlot &slot(uint32_t Index) const { return Slots[Index]; }

  /// The index of \p Slot, or numSlots() if it is not one of this
  /// channel's slots.
  uint32_t indexOf(const void *Slot) const;

  /// The notification ring.
  NotifyRing &notifications() const { return *Notify; }

  /// The bulk window of slot \p Index (below numSlots()).
  BulkWindow bulk(uint32_t Index) const;

  /// Gives the memory behind slot \p Index's bulk window back to the host,
  /// for when the thread that used it is gone.
  void releaseBulk(uint32_t Index) const;

  /// Bytes a channel with \p NumSlots slots occupies.
  static size_t sizeFor(uint32_t NumSlots) {
    return ChannelLayout::sizeFor(NumSlots);
  }

private:
  Channel(int Fd, void *Base, size_t Size, uint32_t NumSlots);

  int Fd = -1;
  void *Base = nullptr;
  size_t Size = 0;
  uint32_t NumSlots = 0;
  ChannelHeader *Header = nullptr;
  ChannelSlot *Slots = nullptr;
  NotifyRing *Notify = nullptr;
};

} // namespace k42

#endif // K42_RUNTIME_IPC_CHANNEL_H
