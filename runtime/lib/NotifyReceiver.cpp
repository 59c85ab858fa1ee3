//===- runtime/lib/NotifyReceiver.cpp - Client side -----------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/ipc/NotifyReceiver.h"
#include "Futex.h"
#include "k42/ipc/ChannelTransport.h"
#include "k42/ipc/Processor.h"

#include <cstring>
#include <memory>

namespace k42 {

NotifyReceiver::NotifyReceiver(Channel &Chan, Badge Server,
                               std::function<bool()> PeerAlive)
    : Chan(Chan), Server(Server), PeerAlive(std::move(PeerAlive)),
      Table(/*Endpoint=*/reinterpret_cast<uintptr_t>(this), /*Capacity=*/256) {
}

NotifyReceiver::~NotifyReceiver() { stop(); }

Result<ObjectHandle> NotifyReceiver::exportObject(XObject &Object,
                                                  RightsMask Rights) {
  Result<ObjectHandle> Handle = Table.insert(Object, Rights, Server.Pid);
  if (Handle)
    std::call_once(Started, [this] { Thread = std::thread([this] { run(); }); });
  return Handle;
}

Status NotifyReceiver::revoke(const ObjectHandle &Handle) {
  return Table.revoke(Handle);
}

uint32_t NotifyReceiver::overflowed() const {
  return Chan.notifications().Dropped.load(std::memory_order_relaxed);
}

void NotifyReceiver::stop() {
  if (Stopping.exchange(true))
    return;
  NotifyRing &Ring = Chan.notifications();
  // Wake the thread if it sleeps; it sees Stopping and leaves. (Head is the
  // server's word, so the wake-up does not change it.)
  detail::futexWake(Ring.Head, 1);
  if (Thread.joinable())
    Thread.join();
}

void NotifyReceiver::run() {
  NotifyRing &Ring = Chan.notifications();
  auto Entry = std::make_unique<NotifyEntry>();
  while (!Stopping.load(std::memory_order_acquire)) {
    uint32_t Tail = Ring.Tail.load(std::memory_order_relaxed);
    uint32_t Head = Ring.Head.load(std::memory_order_acquire);
    if (Head == Tail) {
      Ring.Sleeping.store(1, std::memory_order_seq_cst);
      if (Ring.Head.load(std::memory_order_seq_cst) == Tail &&
          !Stopping.load() &&
          !detail::futexWait(Ring.Head, Tail, ChannelTransport::PollIntervalNs)) {
        // Woken by the timeout alone: is there still a server to hear from?
        if (!PeerAlive() || Chan.header().Closed.load()) {
          Ring.Sleeping.store(0);
          if (Ring.Head.load() == Tail)
            break;
        }
      }
      Ring.Sleeping.store(0, std::memory_order_relaxed);
      continue;
    }
    // A server that claims more than the ring holds is skipping or lying:
    // keep only the newest full ring's worth.
    if (Head - Tail > NotifyRing::Entries) {
      Rejected.fetch_add(Head - Tail - NotifyRing::Entries);
      Tail = Head - NotifyRing::Entries;
    }
    // Copy the entry out first: the server could change it while it is
    // being read. Then give the place back.
    const NotifyEntry &Shared = Ring.Ring[Tail % NotifyRing::Entries];
    uint32_t Length = Shared.Page.Length;
    bool Fits = Length <= PPCPage::PayloadCapacity;
    std::memcpy(static_cast<void *>(Entry.get()), &Shared,
                sizeof(ObjectHandle));
    std::memcpy(&Entry->Page, &Shared.Page, PPCPage::HeaderSize);
    if (Fits)
      std::memcpy(Entry->Page.Payload, Shared.Page.Payload, Length);
    Entry->Page.Length = Length;
    Ring.Tail.store(Tail + 1, std::memory_order_release);
    if (!Fits) {
      Rejected.fetch_add(1);
      continue;
    }
    deliver(*Entry);
  }
}

void NotifyReceiver::deliver(const NotifyEntry &Entry) {
  HandleEntry Found;
  if (!Table.lookup(Entry.Target, Server, Found)) {
    Rejected.fetch_add(1);
    return;
  }
  // A notification has no reply; the X object's status lands here unread.
  thread_local std::unique_ptr<PPCPage> Reply = std::make_unique<PPCPage>();
  Found.Object->dispatch(
      {Server, Found.Rights, Entry.Target, {}, currentProcessor()},
      Entry.Page, *Reply);
  if (Status::fromRaw(Reply->Status))
    Delivered.fetch_add(1);
  else
    Rejected.fetch_add(1);
}

} // namespace k42
