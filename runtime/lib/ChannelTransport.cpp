//===- runtime/lib/ChannelTransport.cpp - Client side ---------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/ipc/ChannelTransport.h"
#include "Futex.h"
#include "ThreadExit.h"

#include "k42/ipc/ChannelWake.h"
#include "k42/ipc/PPCReader.h"
#include "k42/ipc/PPCWriter.h"
#include "k42/ipc/Processor.h"

#include <cstring>
#include <mutex>
#include <poll.h>
#include <unistd.h>

namespace k42 {

/// Shared between a transport and the thread-exit handlers of the threads
/// holding its slots, so a thread that outlives its transport does not touch
/// unmapped memory.
struct ChannelTransport::Leases {
  std::mutex Lock;
  Channel *Chan = nullptr;
};

namespace {

std::atomic<uint64_t> NextTransportId{1};

/// One thread's slot in one transport.
struct Lease {
  uint64_t TransportId;
  uint32_t Slot;
  std::shared_ptr<ChannelTransport::Leases> Shared;
  /// Whether this thread's calls used the slot's bulk window.
  bool UsedBulk = false;
};

/// A thread's leases: few threads use more than a few channels at once.
/// Leases of transports since destroyed are dropped when room is needed.
struct ThreadLeases {
  static constexpr unsigned Max = 64;
  Lease *Items[Max] = {};
  unsigned Count = 0;
  /// Whether releaseAll runs at this thread's exit.
  bool Registered = false;
};

thread_local ThreadLeases Mine;

void releaseAll(void *) {
  for (unsigned I = 0; I < Mine.Count; ++I) {
    Lease *L = Mine.Items[I];
    {
      std::lock_guard<std::mutex> Guard(L->Shared->Lock);
      if (Channel *C = L->Shared->Chan) {
        if (L->UsedBulk)
          C->releaseBulk(L->Slot);
        C->slot(L->Slot).State.store(uint32_t(SlotState::Free),
                                     std::memory_order_release);
      }
    }
    delete L;
  }
  Mine.Count = 0;
}

/// Rings \p H's doorbell, waking a server worker if one sleeps on it and
/// none is awake to see the ring.
void ring(ChannelHeader &H) {
  if (ChannelWake::ring(H))
    detail::futexWake(H.Doorbell, 1);
}

/// Drops this thread's leases on transports that no longer exist.
void forgetDeadLeases() {
  unsigned Kept = 0;
  for (unsigned I = 0; I < Mine.Count; ++I) {
    Lease *L = Mine.Items[I];
    bool Alive;
    {
      std::lock_guard<std::mutex> Guard(L->Shared->Lock);
      Alive = L->Shared->Chan != nullptr;
    }
    if (Alive)
      Mine.Items[Kept++] = L;
    else
      delete L;
  }
  Mine.Count = Kept;
}

} // namespace

ChannelTransport::ChannelTransport(Channel Chan, int PeerPidfd)
    : Chan(std::move(Chan)), PeerPidfd(PeerPidfd),
      Id(NextTransportId.fetch_add(1)),
      Shared(std::make_shared<Leases>()) {
  Shared->Chan = &this->Chan;
}

ChannelTransport::~ChannelTransport() {
  close();
  Receiver.reset();
  std::lock_guard<std::mutex> Guard(Shared->Lock);
  Shared->Chan = nullptr;
  if (PeerPidfd >= 0)
    ::close(PeerPidfd);
}

void ChannelTransport::close() {
  ChannelHeader &H = Chan.header();
  if (H.Closed.exchange(1) == 0) {
    H.Doorbell.fetch_add(1);
    detail::futexWake(H.Doorbell, INT32_MAX);
  }
}

NotifyReceiver &ChannelTransport::notifications() {
  std::lock_guard<std::mutex> Guard(ReceiverLock);
  if (!Receiver)
    Receiver = std::make_unique<NotifyReceiver>(Chan, Badge{},
                                                [this] { return peerAlive(); });
  return *Receiver;
}

ChannelSlot &ChannelTransport::mySlot() {
  for (unsigned I = 0; I < Mine.Count; ++I)
    if (Mine.Items[I]->TransportId == Id) [[likely]]
      return Chan.slot(Mine.Items[I]->Slot);
  // First call from this thread: claim a free slot for good, with a place
  // to remember it.
  if (Mine.Count == ThreadLeases::Max)
    forgetDeadLeases();
  if (Mine.Count < ThreadLeases::Max) {
    for (uint32_t S = 0; S < Chan.numSlots(); ++S) {
      uint32_t Expected = uint32_t(SlotState::Free);
      if (Chan.slot(S).State.compare_exchange_strong(
              Expected, uint32_t(SlotState::Claimed))) {
        if (!Mine.Registered) {
          detail::atThreadExit(&releaseAll, nullptr);
          Mine.Registered = true;
        }
        Mine.Items[Mine.Count++] = new Lease{Id, S, Shared};
        ChannelLayout::markUsed(Chan.header(), S);
        return Chan.slot(S);
      }
    }
  }
  // More calling threads than slots: share the last slot's pages is not
  // safe, so this is a hard limit, reported by submit() as EAGAIN.
  static thread_local ChannelSlot Overflow;
  return Overflow;
}

CallBuffers &ChannelTransport::buffers() { return mySlot().Pages; }

BulkWindow ChannelTransport::bulk(const CallBuffers &Buffers) {
  uint32_t Index = Chan.indexOf(&Buffers);
  if (Index == Chan.numSlots())
    return {};
  for (unsigned I = 0; I < Mine.Count; ++I)
    if (Mine.Items[I]->TransportId == Id && Mine.Items[I]->Slot == Index) {
      Mine.Items[I]->UsedBulk = true;
      // A call with arrays may spend a while copying them in. A server
      // worker asleep now would need a wake-up after the copy; wake one now
      // instead, so it comes round while the copy runs and finds the
      // request as it lands.
      ChannelHeader &H = Chan.header();
      if (ChannelWake::nobodyAwake(H))
        ring(H);
      return Chan.bulk(Index);
    }
  // Not this thread's slot: its window belongs to another thread's call.
  return {};
}

bool ChannelTransport::peerAlive() const {
  if (PeerPidfd < 0)
    return true;
  pollfd P{PeerPidfd, POLLIN, 0};
  return poll(&P, 1, 0) == 0;
}

Status ChannelTransport::submit(ChannelSlot &Slot, const ObjectHandle &Handle,
                                bool OneWay) {
  ChannelHeader &H = Chan.header();
  if (&Slot < &Chan.slot(0) || &Slot > &Chan.slot(Chan.numSlots() - 1))
    return Status::error(EAGAIN);
  if (H.Closed.load(std::memory_order_acquire))
    return Status::error(errc::ChannelClosed);
  Slot.Target = Handle;
  Slot.OneWay = OneWay ? 1 : 0;
  Slot.CallerCpu = currentProcessor();
  Slot.State.store(uint32_t(SlotState::Requested), std::memory_order_seq_cst);
  if (ChannelWake::ring(H) ||
      ChannelWake::unclaimed(H, Slot, [] { detail::cpuRelax(); }))
    detail::futexWake(H.Doorbell, 1);

  uint32_t Done =
      uint32_t(OneWay ? SlotState::Accepted : SlotState::Replied);
  // A short server method answers within microseconds; waiting that long
  // awake is cheaper than a futex sleep and wake-up, which on a virtual
  // machine costs tens of microseconds. Then sleep.
  int Spins = H.FollowsCaller.load(std::memory_order_relaxed) ? 0 : this->Spins;
  for (int Spin = 0; Spin < Spins; ++Spin) {
    if (Slot.State.load(std::memory_order_acquire) == Done)
      break;
    detail::cpuRelax();
  }
  for (;;) {
    if (Slot.State.load(std::memory_order_acquire) == Done)
      break;
    // Said before the last look, so the server wakes this thread if the
    // answer comes after it (ChannelWake).
    uint32_t State = ChannelWake::prepareSleep(Slot);
    if (State == Done)
      break;
    if (!detail::futexWait(Slot.State, State, Poll)) {
      if (!peerAlive()) {
        ChannelWake::awake(Slot);
        Slot.State.store(uint32_t(SlotState::Claimed));
        return Status::error(errc::PeerDied);
      }
      if (H.Closed.load(std::memory_order_acquire) &&
          Slot.State.load() == uint32_t(SlotState::Requested)) {
        ChannelWake::awake(Slot);
        Slot.State.store(uint32_t(SlotState::Claimed));
        return Status::error(errc::ChannelClosed);
      }
    }
  }
  ChannelWake::awake(Slot);
  Slot.State.store(uint32_t(SlotState::Claimed), std::memory_order_relaxed);
  if (OneWay)
    return Status::ok();
  return Status::fromRaw(Slot.Pages.Reply.Status);
}

Status ChannelTransport::call(const ObjectHandle &Handle,
                              CallBuffers &Buffers) {
  ChannelSlot &Slot = mySlot();
  if (&Buffers != &Slot.Pages) {
    Slot.Pages.Request = Buffers.Request;
  }
  Slot.Pages.Request.Control = uint64_t(ControlOp::Call);
  Status S = submit(Slot, Handle, /*OneWay=*/false);
  if (&Buffers != &Slot.Pages)
    Buffers.Reply = Slot.Pages.Reply;
  return S;
}

Status ChannelTransport::send(const ObjectHandle &Handle, PPCPage &Request) {
  ChannelSlot &Slot = mySlot();
  if (&Request != &Slot.Pages.Request)
    Slot.Pages.Request = Request;
  Slot.Pages.Request.Control = uint64_t(ControlOp::Call);
  return submit(Slot, Handle, /*OneWay=*/true);
}

Status ChannelTransport::bind(const ObjectHandle &Handle,
                              uint64_t Fingerprint) {
  ChannelSlot &Slot = mySlot();
  Slot.Pages.Request.Control = uint64_t(ControlOp::Bind);
  Slot.Pages.Request.MethodId = 0;
  Slot.Pages.Request.Fingerprint = Fingerprint;
  Slot.Pages.Request.Length = 0;
  return submit(Slot, Handle, /*OneWay=*/false);
}

Result<ObjectHandle> ChannelTransport::giveAccess(const ObjectHandle &Handle,
                                                  RightsMask Rights,
                                                  ProcessId To) {
  ChannelSlot &Slot = mySlot();
  PPCPage &Request = Slot.Pages.Request;
  Request.Control = uint64_t(ControlOp::GiveAccess);
  Request.MethodId = 0;
  PPCWriter Out(Request);
  Out.put(Rights);
  Out.put(To);
  if (Status S = Out.finish(); !S)
    return S;
  if (Status S = submit(Slot, Handle, /*OneWay=*/false); !S)
    return S;
  PPCReader In(Slot.Pages.Reply);
  ObjectHandle Given;
  if (!In.get(Given) || !In.atEnd())
    return Status::error(errc::BadMessage);
  return Given;
}

Status ChannelTransport::revoke(const ObjectHandle &Handle) {
  ChannelSlot &Slot = mySlot();
  Slot.Pages.Request.Control = uint64_t(ControlOp::Revoke);
  Slot.Pages.Request.MethodId = 0;
  Slot.Pages.Request.Length = 0;
  return submit(Slot, Handle, /*OneWay=*/false);
}

} // namespace k42
