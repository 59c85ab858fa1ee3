//===- runtime/lib/ChannelServer.cpp - Server side ------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/ipc/ChannelServer.h"
#include "Futex.h"
#include "k42/ipc/ChannelTransport.h"
#include "k42/ipc/PPCReader.h"
#include "k42/ipc/PPCWriter.h"
#include "k42/ipc/Processor.h"
#include "k42/ipc/XObject.h"

#include <cstring>
#include <memory>

namespace k42 {
namespace {

/// Copies a page's header and the first \p Length payload bytes (Length
/// already checked against the capacity).
void copyPage(PPCPage &To, const PPCPage &From, uint32_t Length) {
  std::memcpy(&To, &From, PPCPage::HeaderSize);
  To.Length = Length;
  std::memcpy(To.Payload, From.Payload, Length);
}

/// How much shorter a worker spins for a client whose calls come apart
/// (ChannelHeader::CallsApart): long enough for the next call of a burst
/// (open, fstat, read, close), not for the program's work in between.
constexpr int CallsApartDivisor = 16;

/// How long an idle worker sleeps before it looks at its slots again on
/// its own. A request rings the doorbell and wakes a sleeper
/// (ChannelHeader::Sleepers), and stop() rings it too, so this is only a
/// backstop: every wake-up of an idle worker is a context switch paid by
/// the whole machine, many times a second across a server's channels.
constexpr uint64_t IdleWaitNs = 2'000'000'000;

} // namespace

ChannelServer::ChannelServer(Channel Chan, Badge Client, HandleTable &Table,
                             ChannelServerOptions Options)
    : Chan(std::make_shared<Channel>(std::move(Chan))), Client(Client),
      Table(Table), Notifier(std::make_shared<NotifySender>(this->Chan)),
      Options(Options) {
  CPU_ZERO(&Allowed);
  if (sched_getaffinity(0, sizeof(Allowed), &Allowed) != 0)
    CPU_ZERO(&Allowed);
}

uint32_t ChannelServer::processorFor(const ChannelSlot &Slot) {
  uint32_t Cpu = Slot.CallerCpu;
  if (Cpu >= CPU_SETSIZE || !CPU_ISSET(Cpu, &Allowed))
    return detail::hostProcessor();
  if (Options.FollowCaller) {
    // Each worker remembers where it was put, so a caller that stays on
    // one processor costs one move, not one per call.
    thread_local int Pinned = -1;
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

ChannelServer::~ChannelServer() { stop(); }

void ChannelServer::start() {
  Chan->header().FollowsCaller.store(Options.FollowCaller ? 1 : 0);
  spawnWorker();
}

void ChannelServer::spawnWorker() {
  std::lock_guard<std::mutex> Guard(Lock);
  if (Stopping.load())
    return;
  Total.fetch_add(1);
  Idle.fetch_add(1);
  Workers.emplace_back([this] { workerLoop(); });
}

void ChannelServer::stop() {
  Stopping.store(true);
  Notifier->close();
  ChannelHeader &H = Chan->header();
  H.Doorbell.fetch_add(1);
  detail::futexWake(H.Doorbell, INT32_MAX);
  std::vector<std::thread> Joining;
  {
    std::lock_guard<std::mutex> Guard(Lock);
    Joining.swap(Workers);
  }
  for (std::thread &T : Joining)
    T.join();
}

void ChannelServer::close() {
  Notifier->close();
  Chan->header().Closed.store(1, std::memory_order_seq_cst);
}

bool ChannelServer::clientClosed() const {
  return Chan->header().Closed.load() != 0;
}

void ChannelServer::workerLoop() {
  ChannelHeader &H = Chan->header();
  // Whether this worker served a call since it last slept: only then is a
  // next call of the same burst worth a spin. A worker that wakes from
  // its backstop timeout with nothing to do sleeps again at once.
  bool Busy = true;
  while (!Stopping.load(std::memory_order_relaxed)) {
    uint32_t Bell = H.Doorbell.load(std::memory_order_seq_cst);
    bool Served = false;
    for (uint32_t I = 0; I < Chan->numSlots(); ++I) {
      ChannelSlot &Slot = Chan->slot(I);
      uint32_t Expected = uint32_t(SlotState::Requested);
      if (Slot.State.load(std::memory_order_relaxed) != Expected ||
          !Slot.State.compare_exchange_strong(Expected,
                                              uint32_t(SlotState::Serving)))
        continue;
      Served = true;
      // The last idle worker starts another before serving, so a call that
      // blocks never leaves other clients' calls without a thread.
      if (Idle.fetch_sub(1) == 1 && Total.load() < Chan->numSlots())
        spawnWorker();
      serve(Slot);
      Idle.fetch_add(1);
    }
    if (Served) {
      Busy = true;
      continue;
    }
    if (H.Closed.load()) {
      // The client is done with the channel (it may live on, e.g. after
      // publishing a name): nothing more will come, so sleep until stop()
      // instead of spinning.
      detail::futexWait(H.Doorbell, Bell, IdleWaitNs);
      continue;
    }
    // Stay awake a moment for the next request of a client that is still
    // running (the same trade as the client's spin); not on the caller's
    // own processor, which the caller needs.
    bool Rang = false;
    int Spins = Options.FollowCaller || !Busy ? 0
                : H.CallsApart.load(std::memory_order_relaxed)
                    ? ChannelTransport::SpinIterations / CallsApartDivisor
                    : ChannelTransport::SpinIterations;
    for (int Spin = 0; Spin < Spins; ++Spin) {
      if (H.Doorbell.load(std::memory_order_relaxed) != Bell) {
        Rang = true;
        break;
      }
      detail::cpuRelax();
    }
    if (Rang)
      continue;
    H.Sleepers.fetch_add(1, std::memory_order_seq_cst);
    detail::futexWait(H.Doorbell, Bell, IdleWaitNs);
    H.Sleepers.fetch_sub(1, std::memory_order_seq_cst);
    Busy = false;
  }
}

void ChannelServer::serve(ChannelSlot &Slot) {
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
      Slot.State.store(uint32_t(SlotState::Accepted),
                       std::memory_order_release);
      detail::futexWake(Slot.State, 1);
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
        Reply.Status = (Entry.Object->interfaceInfo().isCompatibleWith(
                            Request.Fingerprint)
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
    Slot.State.store(uint32_t(SlotState::Accepted), std::memory_order_release);
    detail::futexWake(Slot.State, 1);
    return;
  }
  uint32_t ReplyLength =
      Reply.Length <= PPCPage::PayloadCapacity ? Reply.Length : 0;
  copyPage(Slot.Pages.Reply, Reply, ReplyLength);
  Slot.State.store(uint32_t(SlotState::Replied), std::memory_order_release);
  detail::futexWake(Slot.State, 1);
}

} // namespace k42
