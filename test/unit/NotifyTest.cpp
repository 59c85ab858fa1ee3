//===- test/unit/NotifyTest.cpp - Server -> client notifications ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Notifications between two real processes over a channel: the client
/// exports a Recorder to the server, asks the server's Ticker to send ticks,
/// and checks that they arrive whole and in order; that a full ring refuses
/// the server's sends instead of making it wait; and that a handle the
/// client never gave out is not delivered.
///
//===----------------------------------------------------------------------===//

#include "EventsImpl.h"
#include "ForkedServer.h"

#include <gtest/gtest.h>

using namespace eventtest;

namespace {

constexpr k42::Badge ClientBadge{200, 1000, 1000, 0};

/// A server process serving a Ticker whose notifications go back over the
/// same channel.
class TickerProcess : public k42test::ForkedServer {
public:
  TickerProcess()
      : ForkedServer(ClientBadge, 8, &exportTicker, {},
                     [](k42::ChannelServer &Server) {
                       notifier() = Server.notifier();
                     }) {}

  StubTicker stub() {
    k42::Result<StubTicker> S = StubTicker::bind(*Transport, Handle);
    EXPECT_TRUE(S.isOk());
    return *S;
  }

private:
  /// The child's notifier, once its server runs.
  static std::shared_ptr<k42::NotifySender> &notifier() {
    static std::shared_ptr<k42::NotifySender> Mine;
    return Mine;
  }

  static k42::Result<k42::ObjectHandle> exportTicker(k42::HandleTable &Table,
                                                     const k42::Badge &Who) {
    // The child's objects live until it exits.
    auto *Impl = new TickerImpl(
        [](const k42::Badge &) -> std::shared_ptr<k42::Transport> {
          return notifier();
        });
    auto *X = new XTicker(*Impl);
    return Table.insert(*X, MetaTicker::Rights::all, Who.Pid);
  }
};

/// A ticker server, and a Recorder this client exported to it.
class NotifyTest : public ::testing::Test {
protected:
  void SetUp() override {
    Mine = Server.Transport->notifications().exportObject(
        X, MetaEvents::Rights::all);
    ASSERT_TRUE(Mine.isOk());
  }

  // The server (and with it the receiving thread) goes first.
  Recorder Events;
  XEvents X{Events};
  TickerProcess Server;
  k42::Result<k42::ObjectHandle> Mine = k42::Status::error(EINVAL);
};

TEST_F(NotifyTest, NotificationsArriveWholeAndInOrder) {

  // Many more than the ring holds: the server waits out full rings, the
  // client's thread drains them as they come.
  constexpr uint32_t Count = 5000;
  uint32_t Sent = 0;
  ASSERT_TRUE(Server.stub().watch(*Mine, Count, /*Retry=*/true, Sent).isOk());
  EXPECT_EQ(Sent, Count);
  ASSERT_TRUE(Events.waitFor(Count));
  EXPECT_EQ(Events.received(), Count);
  EXPECT_EQ(Events.outOfOrder(), 0u);
  EXPECT_EQ(Events.last(), Count);
  EXPECT_EQ(Server.Transport->notifications().rejected(), 0u);
}

TEST_F(NotifyTest, AFullRingRefusesTheSenderInsteadOfBlockingIt) {

  // The client takes nothing off the ring while held: the server's call
  // still returns, having queued what fitted and been refused the rest.
  Events.hold(true);
  constexpr uint32_t Count = 1000;
  uint32_t Sent = 0;
  ASSERT_TRUE(Server.stub().watch(*Mine, Count, /*Retry=*/false, Sent).isOk());
  EXPECT_GE(Sent, k42::NotifyRing::Entries);
  EXPECT_LE(Sent, k42::NotifyRing::Entries + 1) << "one may be in delivery";
  EXPECT_EQ(Server.Transport->notifications().overflowed(), Count - Sent);

  // Released, the client gets exactly what was queued, in order.
  Events.hold(false);
  ASSERT_TRUE(Events.waitFor(Sent));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(Events.received(), Sent);
  EXPECT_EQ(Events.outOfOrder(), 0u);
}

TEST_F(NotifyTest, HandlesTheClientNeverGaveOutAreNotDelivered) {
  k42::NotifyReceiver &Receiver = Server.Transport->notifications();

  k42::ObjectHandle Forged = *Mine;
  Forged.Index += 1;
  uint32_t Sent = 0;
  ASSERT_TRUE(Server.stub().watch(Forged, 3, true, Sent).isOk());
  k42::ObjectHandle Stale = *Mine;
  Stale.Sequence += 1;
  ASSERT_TRUE(Server.stub().watch(Stale, 2, true, Sent).isOk());
  // A revoked handle is as good as forged.
  ASSERT_TRUE(Server.stub().watch(*Mine, 1, true, Sent).isOk());
  ASSERT_TRUE(Events.waitFor(1));
  ASSERT_TRUE(Receiver.revoke(*Mine).isOk());
  ASSERT_TRUE(Server.stub().watch(*Mine, 4, true, Sent).isOk());

  for (int I = 0; I < 200 && Receiver.rejected() < 9; ++I)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(Receiver.rejected(), 9u);
  EXPECT_EQ(Events.received(), 1u);
  EXPECT_EQ(Receiver.delivered(), 1u);
}

} // namespace
