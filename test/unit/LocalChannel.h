//===- test/unit/LocalChannel.h - A channel with both ends here -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// What the tests of the server pool and of the channel's wake-up protocol
/// share: a channel of a given ServerPool whose client and server ends
/// both live in this process (two mappings of its memfd, and a third for
/// the test's own hands), and a way to say that a body of calls ended
/// rather than hung, and an implementation whose wipe() blocks.
///
//===----------------------------------------------------------------------===//

#ifndef K42_TEST_UNIT_LOCALCHANNEL_H
#define K42_TEST_UNIT_LOCALCHANNEL_H

#include "AllKinds.k42.h"
#include "AllKindsImpl.h"

#include <k42/ipc/ChannelServer.h>
#include <k42/ipc/ChannelTransport.h>
#include <k42/ipc/ServerPool.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <thread>
#include <unistd.h>

namespace alltest {

constexpr k42::Badge LocalClientBadge{100, 1000, 1000, 0};

/// One channel of a pool, both ends in this process.
class LocalChannel {
public:
  /// A channel of \p Slots slots served by \p Pool, whose client may call
  /// \p Object (exported in \p Table).
  LocalChannel(k42::ServerPool &Pool, k42::HandleTable &Table,
               k42::XObject &Object, uint32_t Slots = 8) {
    k42::Result<k42::Channel> Chan = k42::Channel::create(Slots);
    EXPECT_TRUE(Chan.isOk());
    k42::Result<k42::Channel> Mine = k42::Channel::attach(dup(Chan->fd()));
    EXPECT_TRUE(Mine.isOk());
    k42::Result<k42::Channel> Hands = k42::Channel::attach(dup(Chan->fd()));
    EXPECT_TRUE(Hands.isOk());
    Raw = std::make_unique<k42::Channel>(std::move(*Hands));
    k42::Result<k42::ObjectHandle> H =
        Table.insert(Object, MetaAllKinds::Rights::all, LocalClientBadge.Pid);
    EXPECT_TRUE(H.isOk());
    Handle = *H;
    k42::ChannelServerOptions Options;
    Options.Pool = &Pool;
    Server = std::make_unique<k42::ChannelServer>(
        std::move(*Mine), LocalClientBadge, Table, Options);
    Server->start();
    Transport = std::make_unique<k42::ChannelTransport>(std::move(*Chan));
  }
  ~LocalChannel() {
    Transport->close();
    Server->stop();
  }

  StubAllKinds stub() {
    k42::Result<StubAllKinds> S = StubAllKinds::bind(*Transport, Handle);
    EXPECT_TRUE(S.isOk()) << S.status().message();
    return *S;
  }

  /// The channel's header, as both ends see it.
  k42::ChannelHeader &header() { return Raw->header(); }

  k42::ObjectHandle Handle;
  std::unique_ptr<k42::ChannelServer> Server;
  std::unique_ptr<k42::ChannelTransport> Transport;
  /// A third mapping of the channel: the test's own hands.
  std::unique_ptr<k42::Channel> Raw;
};

/// AllKinds whose wipe() blocks until the test releases it.
class HeldImpl : public AllKindsImpl {
public:
  k42::Status wipe() override {
    Entered.store(true);
    Entered.notify_all();
    Release.wait(false);
    return k42::Status::ok();
  }
  std::atomic<bool> Entered{false};
  std::atomic<bool> Release{false};
};

/// Runs \p Body on a thread of its own and says whether it ended within
/// a minute: a call nobody serves, or a wake-up lost with no poll limit,
/// would wait for ever.
template <typename Fn> bool finishes(Fn &&Body) {
  std::packaged_task<void()> Task(std::forward<Fn>(Body));
  std::future<void> Done = Task.get_future();
  std::thread T(std::move(Task));
  bool Ended =
      Done.wait_for(std::chrono::minutes(1)) == std::future_status::ready;
  if (Ended)
    T.join();
  else
    T.detach();
  return Ended;
}

} // namespace alltest

#endif // K42_TEST_UNIT_LOCALCHANNEL_H
