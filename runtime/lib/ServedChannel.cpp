//===- runtime/lib/ServedChannel.cpp - One channel a pool serves ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "ServedChannel.h"
#include "Futex.h"
#include "k42/ipc/ChannelTransport.h"
#include "k42/ipc/ChannelWake.h"
#include "k42/ipc/PPCReader.h"
#include "k42/ipc/PPCWriter.h"
#include "k42/ipc/Processor.h"
#include "k42/ipc/ServerPool.h"
#include "k42/ipc/XObject.h"

#include <climits>
#include <cstring>

namespace k42 {
namespace {

/// Copies a page's header and the first \p Length payload bytes (Length
/// already checked against the capacity).
void copyPage(PPCPage &To, const PPCPage &From, uint32_t Length) {
  std::memcpy(&To, &From, PPCPage::HeaderSize);
  To.Length = Length;
  std::memcpy(To.Payload, From.Payload, Length);
}

/// How much shorter a worker spins at most for a client whose calls come
/// apart (ChannelHeader::CallsApart): long enough for the next call of a
/// burst (open, fstat, read, close), not for the program's work in
/// between. The pool spins less while that does not pay
/// (ServerPool::SpinBudget).
constexpr int CallsApartDivisor = 4;

/// Gives \p Slot its answer, waking the client only if it sleeps.
void answer(ChannelSlot &Slot, SlotState State) {
  if (ChannelWake::answer(Slot, State))
    detail::futexWake(Slot.State, 1);
}

} // namespace

ServedChannel::ServedChannel(std::shared_ptr<Channel> Chan, Badge Client,
                             HandleTable &Table, ChannelServerOptions Options)
    : Chan(std::move(Chan)), Client(Client), Table(Table), Options(Options),
      Allowed(processAffinity()) {}

const cpu_set_t &ServedChannel::processAffinity() {
  // Asked once: a server makes a channel for every client that joins, and
  // the processors it may run on do not change with them.
  static const cpu_set_t Once = [] {
    cpu_set_t Set;
    CPU_ZERO(&Set);
    if (sched_getaffinity(0, sizeof(Set), &Set) != 0)
      CPU_ZERO(&Set);
    return Set;
  }();
  return Once;
}

int ServedChannel::spinsAfterCall() const {
  // Not on the caller's own processor, which the caller needs.
  if (Options.FollowCaller)
    return 0;
  return callsApart() ? ChannelTransport::SpinIterations / CallsApartDivisor
                      : ChannelTransport::SpinIterations;
}

bool ServedChannel::serveWaiting(ServerPool &Pool) {
  // Counted in before Stopping is looked at: stop() sees this worker
  // inside, or this worker sees Stopping.
  Inside.fetch_add(1, std::memory_order_seq_cst);
  bool Served = false;
  if (!Stopping.load(std::memory_order_seq_cst)) {
    // The client says how far its slots go; believed only up to the
    // channel's own size.
    uint32_t Limit = header().SlotsUsed.load(std::memory_order_seq_cst);
    if (Limit > Chan->numSlots())
      Limit = Chan->numSlots();
    for (uint32_t I = 0; I < Limit; ++I) {
      ChannelSlot &Slot = Chan->slot(I);
      uint32_t Expected = uint32_t(SlotState::Requested);
      if (Slot.State.load(std::memory_order_relaxed) != Expected ||
          !Slot.State.compare_exchange_strong(Expected,
                                              uint32_t(SlotState::Serving)))
        continue;
      Served = true;
      Pool.claimed();
      serve(Slot);
      Pool.done();
    }
  }
  if (Inside.fetch_sub(1, std::memory_order_seq_cst) == 1 &&
      Stopping.load(std::memory_order_seq_cst))
    detail::futexWake(Inside, INT_MAX);
  return Served;
}

unsigned ServedChannel::waiting(unsigned Max) const {
  uint32_t Limit = header().SlotsUsed.load(std::memory_order_seq_cst);
  if (Limit > Chan->numSlots())
    Limit = Chan->numSlots();
  unsigned Found = 0;
  for (uint32_t I = 0; I < Limit && Found < Max; ++I)
    if (Chan->slot(I).State.load(std::memory_order_seq_cst) ==
        uint32_t(SlotState::Requested))
      ++Found;
  return Found;
}

void ServedChannel::stop() {
  Stopping.store(true, std::memory_order_seq_cst);
  for (;;) {
    uint32_t Now = Inside.load(std::memory_order_seq_cst);
    if (Now == 0)
      return;
    detail::futexWait(Inside, Now);
  }
}

uint32_t ServedChannel::processorFor(const ChannelSlot &Slot) {
  // Each worker remembers where it was put, so a caller that stays on
  // one processor costs one move, not one per call; a pool's worker that
  // serves another channel afterwards is let go again.
  thread_local int Pinned = -1;
  if (!Options.FollowCaller && Pinned != -1 &&
      sched_setaffinity(0, sizeof(Allowed), &Allowed) == 0)
    Pinned = -1;
  uint32_t Cpu = Slot.CallerCpu;
  if (Cpu >= CPU_SETSIZE || !CPU_ISSET(Cpu, &Allowed))
    return detail::hostProcessor();
  if (Options.FollowCaller) {
    if (Pinned != int(Cpu)) {
      cpu_set_t One;
      CPU_ZERO(&One);
      CPU_SET(Cpu, &One);
      if (sched_setaffinity(0, sizeof(One), &One) == 0)
        Pinned = int(Cpu);
    }
  }
  return Cpu;
}

void ServedChannel::serve(ChannelSlot &Slot) {
  // Everything in the slot was written by the client: copy it out first, so
  // the client cannot change it under the server's feet, and check it.
  thread_local std::unique_ptr<CallBuffers> Private =
      std::make_unique<CallBuffers>();
  PPCPage &Request = Private->Request;
  PPCPage &Reply = Private->Reply;
  ObjectHandle Target = Slot.Target;
  bool OneWay = Slot.OneWay != 0;
  uint32_t Processor = processorFor(Slot);
  ProcessorScope ForCaller(Processor);
  uint32_t Length = Slot.Pages.Request.Length;
  Reply.Length = 0;
  Reply.Status = Status::error(errc::BadMessage).raw();
  if (Length <= PPCPage::PayloadCapacity) {
    copyPage(Request, Slot.Pages.Request, Length);
    Reply.MethodId = Request.MethodId;
    auto Op = ControlOp(Request.Control);
    HandleEntry Entry;
    // Revoke looks the handle up itself: the granter may revoke a handle
    // it no longer could call through.
    Status Found = Op == ControlOp::Revoke
                       ? Status::ok()
                       : Table.lookup(Target, Client, Entry);
    if (OneWay && Op != ControlOp::Call)
      Found = Status::error(errc::BadMessage);
    if (OneWay) {
      // Delivered: the client may reuse its slot while this runs.
      answer(Slot, SlotState::Accepted);
      // No bulk window: the client may already be using it again.
      if (Found)
        Entry.Object->dispatch({Client, Entry.Rights, Target, {}, Processor},
                               Request, Reply);
      return;
    }
    if (!Found) {
      Reply.Status = Found.raw();
    } else {
      switch (Op) {
      case ControlOp::Call:
        Entry.Object->dispatch({Client, Entry.Rights, Target,
                                Chan->bulk(Chan->indexOf(&Slot)), Processor},
                               Request, Reply);
        break;
      case ControlOp::Bind:
        Reply.Status =
            (Entry.Object->interfaceInfo().isCompatibleWith(Request.Fingerprint)
                 ? Status::ok()
                 : Status::error(errc::IncompatibleInterface))
                .raw();
        break;
      case ControlOp::GiveAccess: {
        PPCReader In(Request);
        RightsMask Rights = 0;
        ProcessId To = 0;
        if (!In.get(Rights) || !In.get(To) || !In.atEnd()) {
          Reply.Status = Status::error(errc::BadMessage).raw();
          break;
        }
        Result<ObjectHandle> Given =
            Table.giveAccess(Target, Client, Rights, To);
        if (!Given) {
          Reply.Status = Given.status().raw();
          break;
        }
        PPCWriter Out(Reply);
        Out.put(*Given);
        Reply.Status = Out.finish().raw();
        break;
      }
      case ControlOp::Revoke:
        Reply.Status = Table.revokeFor(Target, Client).raw();
        break;
      default:
        Reply.Status = Status::error(errc::BadMessage).raw();
        break;
      }
    }
  } else if (OneWay) {
    answer(Slot, SlotState::Accepted);
    return;
  }
  uint32_t ReplyLength =
      Reply.Length <= PPCPage::PayloadCapacity ? Reply.Length : 0;
  copyPage(Slot.Pages.Reply, Reply, ReplyLength);
  answer(Slot, SlotState::Replied);
}

} // namespace k42
