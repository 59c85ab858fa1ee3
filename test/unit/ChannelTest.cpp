//===- test/unit/ChannelTest.cpp - Calls between real processes -----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The PPC channel with a server in a forked child process: every call
/// crosses the process boundary through shared memory and futexes. (The
/// kernel process that makes channels and hands them out is not involved
/// here; the parent plays its part by creating the memfd.)
///
//===----------------------------------------------------------------------===//

#include "AllKinds.k42.h"
#include "AllKindsImpl.h"

#include "ForkedServer.h"
#include "TestChild.h"

#include <k42/ipc/ChannelServer.h>
#include <k42/ipc/ChannelTransport.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace alltest;

namespace {

constexpr k42::Badge ClientBadge{100, 1000, 1000, 0};

/// The server's implementation: AllKinds plus two methods that block.
class ServerImpl : public AllKindsImpl {
public:
  k42::Status positive(int64_t Value) override {
    if (Value == 999) // Blocks for a while, as a call to a slow disk would.
      std::this_thread::sleep_for(std::chrono::milliseconds(600));
    return AllKindsImpl::positive(Value);
  }
  k42::Status wipe() override {
    pause(); // Never returns: the test kills the server meanwhile.
    return k42::Status::ok();
  }
};

/// A server process serving one AllKinds object to ClientBadge over a
/// channel, with the rights \p Rights.
class ServerProcess : public k42test::ForkedServer {
public:
  explicit ServerProcess(k42::RightsMask Rights)
      : ForkedServer(ClientBadge, 64,
                     [Rights](k42::HandleTable &Table, const k42::Badge &Who) {
                       // The child's objects live until it exits.
                       auto *X = new XAllKinds(*new ServerImpl);
                       return Table.insert(*X, Rights, Who.Pid);
                     }) {}

  StubAllKinds stub() {
    k42::Result<StubAllKinds> S = StubAllKinds::bind(*Transport, Handle);
    EXPECT_TRUE(S.isOk()) << S.status().message();
    return *S;
  }
};

TEST(ChannelTest, EveryKindCrossesTheProcessBoundary) {
  ServerProcess Server(MetaAllKinds::Rights::all);
  StubAllKinds S = Server.stub();

  int64_t Sum = 0;
  bool NotF = false;
  Colour Same = Colour::Red;
  ASSERT_TRUE(
      S.scalars(1, 2, 3, 4, 5.5, false, Colour::Green, Sum, NotF, Same).isOk());
  EXPECT_EQ(Sum, 15);
  EXPECT_TRUE(NotF);
  EXPECT_EQ(Same, Colour::Green);

  std::string Joined;
  ASSERT_TRUE(S.strings("a", "b", "c", Joined).isOk());
  EXPECT_EQ(Joined, "a|b|c");

  std::vector<uint32_t> Doubled;
  ASSERT_TRUE(S.vectors({5, 6}, Doubled).isOk());
  EXPECT_EQ(Doubled, (std::vector<uint32_t>{10, 12}));

  uint16_t Fill[4] = {};
  ASSERT_TRUE(S.spanOut(Fill).isOk());
  EXPECT_EQ(Fill[3], 9);

  uint8_t Raw[3] = {};
  ASSERT_TRUE(S.rawOut(3, Raw).isOk());
  EXPECT_EQ(Raw[2], uint8_t(2 ^ 0x5a));

  // The badge is the channel's, not anything the client sent.
  k42::Badge Seen;
  uint32_t Tag = 0;
  ASSERT_TRUE(S.whoAmI(5, Seen, Tag).isOk());
  EXPECT_EQ(Seen, ClientBadge);

  ASSERT_TRUE(S.post("across", 1).isOk());
  k42::Status Value = S.positive(31337);
  ASSERT_TRUE(Value.isOk());
  EXPECT_EQ(Value.value(), 31337);
}

TEST(ChannelTest, BuffersUpTo16MiBCrossThroughTheBulkWindow) {
  ServerProcess Server(MetaAllKinds::Rights::all);
  StubAllKinds S = Server.stub();
  constexpr size_t Max = k42::BulkArea::Capacity;

  std::vector<uint8_t> In(Max);
  for (size_t I = 0; I < In.size(); ++I)
    In[I] = uint8_t(I * 31);
  uint64_t Sum = 0;
  ASSERT_TRUE(S.spanIn(In, Sum).isOk());
  uint64_t Want = 0;
  for (uint8_t B : In)
    Want += B;
  EXPECT_EQ(Sum, Want);

  std::vector<uint16_t> Fill(Max / 2, 7);
  ASSERT_TRUE(S.spanOut(Fill).isOk());
  EXPECT_EQ(Fill[12345], uint16_t(12345 * 3));
  EXPECT_EQ(Fill.back(), uint16_t((Fill.size() - 1) * 3));

  std::string Text(Max / 2, 'k');
  Text.back() = 'z';
  ASSERT_TRUE(S.inoutString(Text).isOk());
  EXPECT_EQ(Text.size(), Max / 2);
  EXPECT_EQ(Text.front(), 'z');

  // One byte more than a direction carries: refused before it is sent,
  // and the channel goes on serving.
  In.push_back(1);
  EXPECT_EQ(S.spanIn(In, Sum).errorCode(), k42::errc::TooBig);
  ASSERT_TRUE(S.spanIn({In.data(), 3}, Sum).isOk());
  EXPECT_EQ(Sum, uint64_t(In[0]) + In[1] + In[2]);
}

TEST(ChannelTest, ConcurrentLargeCallsUseWindowsOfTheirOwn) {
  ServerProcess Server(MetaAllKinds::Rights::all);
  std::vector<std::thread> Threads;
  std::atomic<int> Good{0};
  for (int T = 0; T < 4; ++T)
    Threads.emplace_back([&, T] {
      StubAllKinds S = Server.stub();
      std::vector<uint32_t> Values(300000, uint32_t(T + 1));
      for (int Call = 0; Call < 20; ++Call) {
        std::vector<uint32_t> Doubled;
        uint32_t Want = 2 * uint32_t(T + 1);
        if (!S.vectors(Values, Doubled).isOk() ||
            Doubled.size() != Values.size() ||
            !std::all_of(Doubled.begin(), Doubled.end(),
                         [&](uint32_t V) { return V == Want; }))
          return;
      }
      Good.fetch_add(1);
    });
  for (std::thread &T : Threads)
    T.join();
  EXPECT_EQ(Good.load(), 4);
}

TEST(ChannelTest, OneThreadCanOpenAndCloseChannelsWithoutEnd) {
  // More transports, one after another, than a thread keeps leases for at
  // once: leases of closed transports make room for new ones.
  for (int Round = 0; Round < 80; ++Round) {
    ServerProcess Server(MetaAllKinds::Rights::all);
    StubAllKinds S = Server.stub();
    std::vector<uint8_t> Big(100000, 1);
    uint64_t Sum = 0;
    ASSERT_TRUE(S.spanIn(Big, Sum).isOk()) << "round " << Round;
    ASSERT_EQ(Sum, Big.size());
  }
}

// The kernel's channels come with the pages a client's first call touches
// already made (zeros after the header), and the page of the ring's
// counters, so that a joining client maps them rather than allocating
// them; the rest of the region is a hole.
TEST(ChannelTest, TheKernelsRegionHoldsTheFirstCallsPages) {
  k42::Result<int> Region = k42::Channel::createRegion(64);
  ASSERT_TRUE(Region.isOk());
  int Fd = *Region;
  size_t First = k42::ChannelLayout::firstCallBytes();
  EXPECT_EQ(lseek(Fd, 0, SEEK_DATA), 0);
  EXPECT_EQ(lseek(Fd, 0, SEEK_HOLE), off_t(First));
  // And the page of the notification ring's counters, read at a leased
  // open: nothing else.
  off_t Ring = off_t(k42::ChannelLayout::ringStart(64)) & ~off_t(4095);
  EXPECT_EQ(lseek(Fd, off_t(First), SEEK_DATA), Ring);
  EXPECT_EQ(lseek(Fd, Ring, SEEK_HOLE), Ring + 4096);
  EXPECT_EQ(lseek(Fd, Ring + 4096, SEEK_DATA), -1);
  k42::ChannelHeader Header{};
  ASSERT_EQ(pread(Fd, &Header, sizeof(Header), 0), ssize_t(sizeof(Header)));
  EXPECT_TRUE(k42::ChannelLayout::fits(Header, Header.NumSlots,
                                       k42::ChannelLayout::sizeFor(64)));
  EXPECT_EQ(Header.NumSlots, 64u);
  std::vector<char> Rest(First - sizeof(Header), 1);
  ASSERT_EQ(pread(Fd, Rest.data(), Rest.size(), sizeof(Header)),
            ssize_t(Rest.size()));
  EXPECT_TRUE(
      std::all_of(Rest.begin(), Rest.end(), [](char C) { return C == 0; }));
  k42::Result<k42::Channel> Mapped = k42::Channel::attach(Fd);
  EXPECT_TRUE(Mapped.isOk());
}

TEST(ChannelTest, RightsAndHandlesAreCheckedInTheServer) {
  ServerProcess Server(MetaAllKinds::Rights::read);
  StubAllKinds S = Server.stub();
  EXPECT_EQ(S.wipe().errorCode(), k42::errc::PermissionDenied);
  uint32_t Calls = 0;
  ASSERT_TRUE(S.peek(Calls).isOk());

  k42::ObjectHandle Forged = Server.Handle;
  Forged.Sequence += 1;
  EXPECT_EQ(StubAllKinds::bind(*Server.Transport, Forged).status().errorCode(),
            k42::errc::StaleHandle);
  Forged = Server.Handle;
  Forged.Endpoint = 8;
  EXPECT_EQ(StubAllKinds::bind(*Server.Transport, Forged).status().errorCode(),
            k42::errc::BadHandle);
  // The server still serves.
  EXPECT_TRUE(S.ping().isOk());
}

TEST(ChannelTest, ABlockingMethodHoldsUpOnlyItsCaller) {
  ServerProcess Server(MetaAllKinds::Rights::all);
  std::atomic<bool> SlowDone{false};
  std::thread Slow([&] {
    StubAllKinds S = Server.stub();
    EXPECT_TRUE(S.positive(999).isOk());
    SlowDone = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  StubAllKinds Fast = Server.stub();
  auto Start = std::chrono::steady_clock::now();
  for (int I = 0; I < 100; ++I)
    ASSERT_TRUE(Fast.ping().isOk());
  auto Took = std::chrono::steady_clock::now() - Start;
  EXPECT_FALSE(SlowDone.load()) << "the fast calls waited for the slow one";
  EXPECT_LT(Took, std::chrono::milliseconds(400));
  Slow.join();
  EXPECT_TRUE(SlowDone.load());
}

TEST(ChannelTest, ConcurrentClientThreadsGetTheirOwnResults) {
  ServerProcess Server(MetaAllKinds::Rights::all);
  std::atomic<int> Wrong{0};
  std::vector<std::thread> Threads;
  for (int T = 0; T < 16; ++T)
    Threads.emplace_back([&, T] {
      StubAllKinds S = Server.stub();
      for (int I = 0; I < 300; ++I) {
        int64_t Value = T * 100000 + I;
        if (!S.inoutScalar(Value).isOk() || Value != -2 * (T * 100000 + I))
          ++Wrong;
      }
    });
  for (std::thread &T : Threads)
    T.join();
  EXPECT_EQ(Wrong.load(), 0);
}

TEST(ChannelTest, AServerThatDiesMidCallGivesAnErrorNotAHang) {
  ServerProcess Server(MetaAllKinds::Rights::all);
  StubAllKinds S = Server.stub();
  std::thread Killer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    kill(Server.Pid, SIGKILL);
  });
  auto Start = std::chrono::steady_clock::now();
  k42::Status Result = S.wipe();
  auto Took = std::chrono::steady_clock::now() - Start;
  Killer.join();
  EXPECT_EQ(Result.errorCode(), k42::errc::PeerDied);
  EXPECT_LT(Took, std::chrono::seconds(1));
}

} // namespace

namespace {

/// A server process with one object and two client channels, for the
/// badges Alice (100) and Bob (200); this process holds both client ends.
class TwoClientServer {
public:
  static constexpr k42::Badge Alice{100, 1000, 1000, 0};
  static constexpr k42::Badge Bob{200, 1001, 1001, 0};

  TwoClientServer() {
    k42::Result<k42::Channel> A = k42::Channel::create(8);
    k42::Result<k42::Channel> B = k42::Channel::create(8);
    EXPECT_TRUE(A.isOk() && B.isOk());
    int Pipe[2];
    EXPECT_EQ(pipe(Pipe), 0);
    int FdA = dup(A->fd()), FdB = dup(B->fd());
    Pid = k42test::forkTestChild();
    if (Pid == 0) {
      close(Pipe[0]);
      k42::Result<k42::Channel> MineA = k42::Channel::attach(FdA);
      k42::Result<k42::Channel> MineB = k42::Channel::attach(FdB);
      k42::HandleTable Table(9, 64);
      AllKindsImpl Impl;
      XAllKinds X(Impl);
      // Only Alice gets a handle from the server; Bob must be given one.
      k42::Result<k42::ObjectHandle> H =
          Table.insert(X, MetaAllKinds::Rights::all, Alice.Pid);
      if (!MineA || !MineB || !H ||
          write(Pipe[1], &*H, sizeof(*H)) != ssize_t(sizeof(*H)))
        _exit(2);
      k42::ChannelServer ServeA(std::move(*MineA), Alice, Table);
      k42::ChannelServer ServeB(std::move(*MineB), Bob, Table);
      ServeA.start();
      ServeB.start();
      while (!ServeA.clientClosed() || !ServeB.clientClosed())
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      _exit(0);
    }
    close(FdA);
    close(FdB);
    close(Pipe[1]);
    EXPECT_EQ(read(Pipe[0], &AliceRoot, sizeof(AliceRoot)),
              ssize_t(sizeof(AliceRoot)));
    close(Pipe[0]);
    ToAlice = std::make_unique<k42::ChannelTransport>(std::move(*A));
    ToBob = std::make_unique<k42::ChannelTransport>(std::move(*B));
  }
  ~TwoClientServer() {
    ToAlice.reset();
    ToBob.reset();
    waitpid(Pid, nullptr, 0);
  }

  pid_t Pid;
  k42::ObjectHandle AliceRoot;
  std::unique_ptr<k42::ChannelTransport> ToAlice, ToBob;
};

TEST(ChannelTest, GiveAccessNarrowsRightsAndTheGranterCanRevoke) {
  TwoClientServer Server;
  const auto &Bob = TwoClientServer::Bob;
  // Bob cannot use Alice's handle: the server knows who calls.
  EXPECT_EQ(StubAllKinds::bind(*Server.ToBob, Server.AliceRoot)
                .status()
                .errorCode(),
            k42::errc::BadHandle);

  // Alice gives Bob read access.
  k42::Result<k42::ObjectHandle> ForBob = Server.ToAlice->giveAccess(
      Server.AliceRoot, MetaAllKinds::Rights::read, Bob.Pid);
  ASSERT_TRUE(ForBob.isOk()) << ForBob.status().message();
  k42::Result<StubAllKinds> BobStub =
      StubAllKinds::bind(*Server.ToBob, *ForBob);
  ASSERT_TRUE(BobStub.isOk());
  uint32_t Calls = 0;
  EXPECT_TRUE(BobStub->peek(Calls).isOk());
  EXPECT_EQ(BobStub->wipe().errorCode(), k42::errc::PermissionDenied);

  // Bob cannot widen what he was given, nor give it on with more.
  EXPECT_EQ(Server.ToBob
                ->giveAccess(*ForBob, MetaAllKinds::Rights::all, 300)
                .status()
                .errorCode(),
            k42::errc::PermissionDenied);
  // Nor revoke Alice's own handle.
  EXPECT_EQ(Server.ToBob->revoke(Server.AliceRoot).errorCode(),
            k42::errc::PermissionDenied);

  // Alice revokes; Bob's handle is stale from then on.
  ASSERT_TRUE(Server.ToAlice->revoke(*ForBob).isOk());
  EXPECT_EQ(BobStub->peek(Calls).errorCode(), k42::errc::StaleHandle);
  // Alice's own handle still works.
  k42::Result<StubAllKinds> AliceStub =
      StubAllKinds::bind(*Server.ToAlice, Server.AliceRoot);
  ASSERT_TRUE(AliceStub.isOk());
  EXPECT_TRUE(AliceStub->ping().isOk());
}

} // namespace
