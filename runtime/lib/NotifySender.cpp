//===- runtime/lib/NotifySender.cpp - Server -> client --------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/ipc/NotifySender.h"
#include "Futex.h"

#include <cstring>

namespace k42 {

NotifySender::NotifySender(std::shared_ptr<Channel> Chan)
    : Chan(std::move(Chan)) {}

CallBuffers &NotifySender::buffers() {
  // Private to the sending thread: the stub fills it, send() copies it.
  thread_local std::unique_ptr<CallBuffers> Mine =
      std::make_unique<CallBuffers>();
  return *Mine;
}

Status NotifySender::call(const ObjectHandle &, CallBuffers &) {
  return Status::error(errc::NotSupported);
}

Status NotifySender::send(const ObjectHandle &Handle, PPCPage &Request) {
  if (Request.Length > PPCPage::PayloadCapacity)
    return Status::error(errc::TooBig);
  if (Closed.load(std::memory_order_acquire) ||
      Chan->header().Closed.load(std::memory_order_acquire))
    return Status::error(errc::ChannelClosed);
  NotifyRing &Ring = Chan->notifications();
  std::lock_guard<std::mutex> Guard(Lock);
  // Head is ours alone; Tail is the client's, so a nonsense value there
  // only makes the ring look full.
  uint32_t Head = Ring.Head.load(std::memory_order_relaxed);
  uint32_t Tail = Ring.Tail.load(std::memory_order_acquire);
  if (Head - Tail >= NotifyRing::Entries) {
    Ring.Dropped.fetch_add(1, std::memory_order_relaxed);
    return Status::error(errc::RingFull);
  }
  NotifyEntry &Entry = Ring.Ring[Head % NotifyRing::Entries];
  Entry.Target = Handle;
  std::memcpy(&Entry.Page, &Request, PPCPage::HeaderSize);
  Entry.Page.Control = uint64_t(ControlOp::Call);
  std::memcpy(Entry.Page.Payload, Request.Payload, Request.Length);
  Ring.Head.store(Head + 1, std::memory_order_seq_cst);
  if (Ring.Sleeping.load(std::memory_order_seq_cst))
    detail::futexWake(Ring.Head, 1);
  return Status::ok();
}

Status NotifySender::bind(const ObjectHandle &, uint64_t) {
  return Status::ok();
}

Result<ObjectHandle> NotifySender::giveAccess(const ObjectHandle &,
                                              RightsMask, ProcessId) {
  return Status::error(errc::NotSupported);
}

Status NotifySender::revoke(const ObjectHandle &) {
  return Status::error(errc::NotSupported);
}

void NotifySender::close() { Closed.store(true, std::memory_order_release); }

} // namespace k42
