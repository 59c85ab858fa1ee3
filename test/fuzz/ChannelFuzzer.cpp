//===- test/fuzz/ChannelFuzzer.cpp - Hostile slots into a ChannelServer ---===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// What a hostile client can write into its side of a channel, fed to a
/// live ChannelServer (its worker threads, its handle table, a generated
/// XAllKinds): every input is copied over one slot's target handle, one-way
/// flag, processor hint and request page (header and payload), and over
/// the start of that slot's bulk window, after which the harness rings the
/// doorbell as a client would. Checked after each input: the server
/// answered within five seconds (Replied, or Accepted for one-way), its
/// reply is a status and a payload that fits, and a well-formed call from
/// another slot of the same channel still works.
///
/// Input: the first bytes over Target, OneWay and CallerCpu, the rest over
/// the request page (header and payload); half the time (the last byte
/// odd) the target is then the real root handle, and often the request
/// names a real method of the interface; the whole input again
/// over the bulk window's request area.
///
//===----------------------------------------------------------------------===//

#include "AllKinds.k42.h"
#include "AllKindsImpl.h"

#include <k42/ipc/ChannelServer.h>
#include <k42/ipc/ChannelTransport.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <linux/futex.h>
#include <memory>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>

using namespace alltest;

namespace {

constexpr k42::Badge Client{77, 1000, 1000, 0};
/// The slot the harness writes by hand; the transport uses another.
constexpr uint32_t HostileSlot = 3;

[[noreturn]] void fail(const char *Why) {
  std::fprintf(stderr, "channel-fuzzer: %s\n", Why);
  std::abort();
}

/// One channel with a server behind it, for the whole run.
struct Rig {
  AllKindsImpl Impl;
  XAllKinds X{Impl};
  k42::HandleTable Table{/*Endpoint=*/11, 16};
  k42::ObjectHandle Root;
  std::unique_ptr<k42::ChannelServer> Server;
  /// A second client-side mapping of the channel: the harness's hands.
  std::unique_ptr<k42::Channel> Raw;
  std::unique_ptr<k42::ChannelTransport> Transport;
  std::unique_ptr<StubAllKinds> Stub;

  Rig() {
    k42::Result<k42::Channel> Chan = k42::Channel::create(4);
    if (!Chan)
      fail("cannot make a channel");
    k42::Result<k42::Channel> ServerSide =
        k42::Channel::attach(dup(Chan->fd()));
    k42::Result<k42::Channel> RawSide = k42::Channel::attach(dup(Chan->fd()));
    if (!ServerSide || !RawSide)
      fail("cannot attach the channel");
    Raw = std::make_unique<k42::Channel>(std::move(*RawSide));
    k42::Result<k42::ObjectHandle> H =
        Table.insert(X, MetaAllKinds::Rights::all, Client.Pid);
    if (!H)
      fail("cannot export");
    Root = *H;
    // Keep the transport off the hostile slot.
    Raw->slot(HostileSlot).State.store(uint32_t(k42::SlotState::Claimed));
    k42::ChannelLayout::markUsed(Raw->header(), HostileSlot);
    Server = std::make_unique<k42::ChannelServer>(std::move(*ServerSide),
                                                  Client, Table);
    Server->start();
    Transport = std::make_unique<k42::ChannelTransport>(std::move(*Chan));
    bindStub();
  }

  void bindStub() {
    k42::Result<StubAllKinds> S = StubAllKinds::bind(*Transport, Root);
    if (!S)
      fail("cannot bind");
    Stub = std::make_unique<StubAllKinds>(*S);
  }

  /// A new root handle after the client revoked its own.
  void rebind() {
    k42::Result<k42::ObjectHandle> H =
        Table.insert(X, MetaAllKinds::Rights::all, Client.Pid);
    if (!H)
      fail("cannot export again");
    Root = *H;
    bindStub();
  }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  static Rig *R = new Rig; // Lives for the whole run.
  if (Size < 32)
    return 0;
  k42::ChannelSlot &Slot = R->Raw->slot(HostileSlot);
  // The fields after the state word, then the request page, then the same
  // bytes over the start of the slot's bulk window.
  auto *Fields = reinterpret_cast<uint8_t *>(&Slot) + sizeof(Slot.State);
  size_t FieldBytes = offsetof(k42::ChannelSlot, Pages) - sizeof(Slot.State);
  std::memcpy(Fields, Data, std::min(FieldBytes, Size));
  auto *Page = reinterpret_cast<uint8_t *>(&Slot.Pages.Request);
  size_t Rest = Size - std::min(FieldBytes, Size);
  std::memcpy(Page, Data + (Size - Rest),
              std::min(Rest, sizeof(k42::PPCPage)));
  // Half the time the handle is the real one, so the rest of the slot
  // reaches the X object's checks and the implementation.
  uint8_t Flags = Data[Size - 1];
  if (Flags & 1)
    Slot.Target = R->Root;
  // And often a real interface and method, so the payload is what is
  // under test.
  if (Flags & 2) {
    const k42::InterfaceInfo &Info = MetaAllKinds::Info;
    Slot.Pages.Request.Fingerprint = MetaAllKinds::Fingerprint;
    Slot.Pages.Request.MethodId = Info.Methods[Data[0] % Info.NumMethods].Id;
  }
  k42::BulkWindow Bulk = R->Raw->bulk(HostileSlot);
  std::memcpy(Bulk.Request.Base, Data, Size);

  uint64_t Op = Slot.Pages.Request.Control;

  // Ring as a client would, and wait for the server's answer.
  k42::ChannelHeader &H = R->Raw->header();
  Slot.State.store(uint32_t(k42::SlotState::Requested));
  H.Doorbell.fetch_add(1);
  syscall(SYS_futex, reinterpret_cast<uint32_t *>(&H.Doorbell), FUTEX_WAKE,
          1, nullptr, nullptr, 0);
  auto Deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (;;) {
    uint32_t State = Slot.State.load();
    if (State == uint32_t(k42::SlotState::Replied) ||
        State == uint32_t(k42::SlotState::Accepted))
      break;
    if (std::chrono::steady_clock::now() > Deadline)
      fail("the server did not answer a hostile slot");
    std::this_thread::yield();
  }
  bool OneWay = Slot.OneWay != 0;
  if (!OneWay) {
    const k42::PPCPage &Reply = Slot.Pages.Reply;
    if (Reply.Length > k42::PPCPage::PayloadCapacity)
      fail("a reply longer than its page");
    if (!k42::Status::fromRaw(Reply.Status) && Reply.Length != 0)
      fail("a failed call with a payload");
  }
  Slot.State.store(uint32_t(k42::SlotState::Claimed));

  // The channel still serves a well-formed caller. The one thing a client
  // may do to itself is revoke its own root handle: then it gets a new one.
  k42::Status Ping = R->Stub->ping();
  if (!Ping && Ping.errorCode() == k42::errc::StaleHandle &&
      Slot.Target == R->Root && Op == uint64_t(k42::ControlOp::Revoke)) {
    R->rebind();
    Ping = R->Stub->ping();
  }
  if (!Ping)
    fail("a well-formed call failed after a hostile slot");
  return 0;
}
