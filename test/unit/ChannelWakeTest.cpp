//===- test/unit/ChannelWakeTest.cpp - Who wakes whom on a channel --------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The channel's wake-up rules (k42/ipc/ChannelWake.h): no wake-up is lost
/// when clients and workers skip the ones the other side does not need
/// (many threads and calls, spins from none to some on either side, no
/// poll limit and no backstop, so a lost wake-up hangs a call and the test
/// fails); a worker awake after a call takes the next one, a large one
/// included, without sleeping; and requests rung while a worker was awake
/// never wait behind a call that blocks.
///
//===----------------------------------------------------------------------===//

#include "AllKinds.k42.h"
#include "AllKindsImpl.h"
#include "LocalChannel.h"

#include <k42/ipc/ChannelWake.h>
#include <k42/ipc/ServerPool.h>

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

using namespace alltest;

namespace {

/// Pauses a test worker spins after a call when it should stay awake for
/// the whole test: far longer than any test takes (minutes).
constexpr int SpinForTheTest = 1'000'000'000;

k42::ServerPoolOptions noBackstop(int SpinsAfterCall) {
  k42::ServerPoolOptions Options;
  Options.SpinsAfterCall = SpinsAfterCall;
  Options.IdleWaitNs = 0;
  return Options;
}

/// Sets up \p Pool, serving \p C, with two workers: one awake after a
/// call (spinning for the whole test), one asleep (whether it is, is
/// returned): workers that never spin
/// serve a first call (its claim starts the second) and both sleep; then
/// one more call wakes one, which stays awake.
bool oneAwakeOneAsleep(k42::ServerPool &Pool, LocalChannel &C) {
  StubAllKinds S = C.stub();
  k42::ChannelHeader &H = C.header();
  EXPECT_TRUE(S.ping().isOk());
  while (Pool.threads() < 2 || H.Sleepers.load() < 2)
    std::this_thread::yield();
  Pool.setSpinsAfterCall(SpinForTheTest);
  EXPECT_TRUE(S.ping().isOk());
  while (H.Awake.load() == 0)
    std::this_thread::yield();
  // Both may be awake: a full check on a loaded machine once saw none
  // asleep here.
  return H.Sleepers.load() == 1;
}

/// The most pauses either side spins before it sleeps.
struct Spins {
  int Client;
  int Server;
};

class ChannelWakeStress : public ::testing::TestWithParam<Spins> {};

TEST_P(ChannelWakeStress, NoWakeUpIsLost) {
  // A channel per calling thread, so each can change its own spin from
  // call to call: answers then land before, during and after the last
  // look of a client about to sleep, and requests before, during and
  // after a worker's last look before it sleeps. Two threads share the
  // last channel (two slots).
  constexpr int Channels = 4, Threads = Channels + 1, Calls = 3000;
  k42::ServerPool Pool(noBackstop(GetParam().Server));
  k42::HandleTable Table(/*Endpoint=*/7, 64);
  AllKindsImpl Impl;
  XAllKinds X(Impl);
  std::vector<std::unique_ptr<LocalChannel>> Chans;
  for (int C = 0; C < Channels; ++C) {
    Chans.push_back(std::make_unique<LocalChannel>(Pool, Table, X));
    // No poll limit: a reply whose wake-up is lost is never seen.
    Chans.back()->Transport->setWaits(GetParam().Client, 0);
  }
  std::atomic<int> Failed{0};
  EXPECT_TRUE(finishes([&] {
    std::vector<std::thread> Callers;
    for (int T = 0; T < Threads; ++T)
      Callers.emplace_back([&, T] {
        LocalChannel &Mine = *Chans[T < Channels ? T : Channels - 1];
        StubAllKinds S = Mine.stub();
        bool Shared = T >= Channels - 1;
        for (int I = 0; I < Calls; ++I) {
          if (!Shared)
            Mine.Transport->setWaits(
                GetParam().Client ? (I * 7 + T) % (GetParam().Client + 1) : 0,
                0);
          // Some one-way sends too: their answer (Accepted) has the same
          // rule as a reply.
          k42::Status R =
              (I + T) % 4 == 0 ? S.post("x", uint32_t(I)) : S.ping();
          if (!R)
            Failed.fetch_add(1);
        }
      });
    for (std::thread &T : Callers)
      T.join();
  })) << "a call never ended: a wake-up was lost";
  EXPECT_EQ(Failed.load(), 0);
}

INSTANTIATE_TEST_SUITE_P(SpinsEitherSide, ChannelWakeStress,
                         ::testing::Values(Spins{0, 0}, Spins{0, 40},
                                           Spins{40, 0}, Spins{40, 40},
                                           Spins{400, 4}, Spins{4, 400}),
                         [](const ::testing::TestParamInfo<Spins> &Info) {
                           return "client" + std::to_string(Info.param.Client) +
                                  "_server" + std::to_string(Info.param.Server);
                         });

TEST(ChannelWakeTest, AWorkerAwakeAfterACallTakesTheNextLargeOne) {
  k42::ServerPool Pool(noBackstop(0));
  k42::HandleTable Table(/*Endpoint=*/7, 64);
  AllKindsImpl Impl;
  XAllKinds X(Impl);
  LocalChannel C(Pool, Table, X);
  StubAllKinds S = C.stub();
  oneAwakeOneAsleep(Pool, C);
  uint64_t Before = Pool.sleeps();
  // Each call copies 1 MiB into the slot's bulk window before its request
  // is rung. The worker awake needs no wake-up for it, nor the one asleep;
  // and a look at the channel that finds the request not there yet (it
  // was rung early, or another worker had it) keeps a worker awake, not
  // asleep, for the request about to land.
  std::vector<uint8_t> Large(1 << 20, 7);
  constexpr int Calls = 40;
  for (int I = 0; I < Calls; ++I) {
    uint64_t Sum = 0;
    ASSERT_TRUE(S.spanIn(Large, Sum).isOk());
  }
  // A call that comes between a worker's reply and its counting itself
  // awake again wakes the sleeper needlessly (a few on a loaded machine);
  // a sleep or two per call is what a worker that goes to sleep between
  // calls, or a wake-up of the sleeper per call, costs.
  EXPECT_LT(Pool.sleeps() - Before, uint64_t(Calls / 4));
}

TEST(ChannelWakeTest, RequestsRungWhileAWorkerIsAwakeDoNotWaitForABlockedCall) {
  k42::ServerPool Pool(noBackstop(0));
  k42::HandleTable Table(/*Endpoint=*/7, 64);
  HeldImpl Held;
  XAllKinds X(Held);
  LocalChannel C(Pool, Table, X);
  oneAwakeOneAsleep(Pool, C);
  k42::ChannelHeader &H = C.header();
  // Two requests in two slots of the test's own, a call that blocks first,
  // rung once as a client rings while a worker is awake: with no wake-up.
  k42::Channel &Raw = *C.Raw;
  uint32_t Taken[2], Got = 0;
  for (uint32_t I = 0; I < Raw.numSlots() && Got < 2; ++I) {
    uint32_t Free = uint32_t(k42::SlotState::Free);
    if (Raw.slot(I).State.compare_exchange_strong(
            Free, uint32_t(k42::SlotState::Claimed)))
      Taken[Got++] = I;
  }
  ASSERT_EQ(Got, 2u);
  k42::ChannelLayout::markUsed(H, Taken[1]);
  uint32_t Methods[2] = {MetaAllKinds::Methods::wipe,
                         MetaAllKinds::Methods::ping};
  for (int R = 0; R < 2; ++R) {
    k42::ChannelSlot &Slot = Raw.slot(Taken[R]);
    Slot.Target = C.Handle;
    Slot.OneWay = 0;
    k42::PPCPage &Page = Slot.Pages.Request;
    Page.Control = uint64_t(k42::ControlOp::Call);
    Page.MethodId = Methods[R];
    Page.Fingerprint = MetaAllKinds::Fingerprint;
    Page.Length = 0;
    Slot.State.store(uint32_t(k42::SlotState::Requested));
  }
  ASSERT_FALSE(k42::ChannelWake::ring(H)) << "a worker should be awake";
  // The worker awake takes the first and blocks in it; the second is
  // served by another it woke, not left for after the first.
  k42::ChannelSlot &Second = Raw.slot(Taken[1]);
  EXPECT_TRUE(finishes([&] {
    while (Second.State.load() != uint32_t(k42::SlotState::Replied))
      std::this_thread::yield();
  }));
  EXPECT_TRUE(Held.Entered.load());
  Held.Release.store(true);
  Held.Release.notify_all();
  k42::ChannelSlot &First = Raw.slot(Taken[0]);
  EXPECT_TRUE(finishes([&] {
    while (First.State.load() != uint32_t(k42::SlotState::Replied))
      std::this_thread::yield();
  }));
  for (uint32_t I : Taken)
    Raw.slot(I).State.store(uint32_t(k42::SlotState::Free));
}

} // namespace
