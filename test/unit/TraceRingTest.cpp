//===- test/unit/TraceRingTest.cpp - Trace rings and regions --------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The trace ring on its own: events come out whole and in order across
/// many laps of a small ring (filler at the end included), a full ring
/// refuses whole events and counts them, a half-written event stops the
/// reader until it is committed, and concurrent writers with a concurrent
/// reader lose nothing they were not told about. Then the region file and
/// the process-wide event API over it.
///
//===----------------------------------------------------------------------===//

#include "k42/trace/TraceRing.h"
#include "k42/trace/Trace.h"
#include "k42/trace/TraceRegion.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace k42;
using namespace k42::trace;

namespace {

/// A ring in ordinary memory.
struct LocalRing {
  explicit LocalRing(uint64_t Bytes)
      : Data(new uint64_t[Bytes / 8]()),
        Ring(Header, reinterpret_cast<uint8_t *>(Data.get()), Bytes) {}
  RingHeader Header{};
  std::unique_ptr<uint64_t[]> Data;
  TraceRing Ring;
};

EventFields fields(uint16_t Minor, uint32_t Tid = 7) {
  EventFields F;
  F.Timestamp = 1000 + Minor;
  F.MajorId = uint16_t(Major::User);
  F.MinorId = Minor;
  F.Processor = 1;
  F.K42Pid = 3;
  F.HostPid = 42;
  F.Tid = Tid;
  return F;
}

std::span<const uint8_t> bytes(const std::string &S) {
  return {reinterpret_cast<const uint8_t *>(S.data()), S.size()};
}

std::string text(const EventView &V) {
  return std::string(reinterpret_cast<const char *>(V.Payload.data()),
                     V.Payload.size());
}

} // namespace

TEST(TraceRingTest, EventsComeOutWholeAndInOrder) {
  LocalRing L(4096);
  ASSERT_TRUE(L.Ring.write(fields(1), bytes("first")));
  ASSERT_TRUE(L.Ring.write(fields(2), {}));
  std::vector<std::string> Seen;
  ReadStats Stats = L.Ring.read([&](const EventView &V) {
    EXPECT_EQ(V.Fields.K42Pid, 3u);
    EXPECT_EQ(V.Fields.HostPid, 42u);
    EXPECT_EQ(V.Fields.Processor, 1u);
    EXPECT_EQ(V.Fields.Timestamp, 1000u + V.Fields.MinorId);
    Seen.push_back(std::to_string(V.Fields.MinorId) + ":" + text(V));
  });
  EXPECT_EQ(Stats.Events, 2u);
  EXPECT_FALSE(Stats.Incomplete);
  EXPECT_EQ(Seen, (std::vector<std::string>{"1:first", "2:"}));
  EXPECT_EQ(L.Ring.used(), 0u);
}

TEST(TraceRingTest, WrapsAroundManyLapsWithFiller) {
  LocalRing L(4096);
  uint64_t Next = 0, Expected = 0;
  // Payloads of varying length, so events end at every offset and some
  // do not fit before the end of the array (filler, then offset 0).
  for (int Round = 0; Round < 500; ++Round) {
    for (int I = 0; I < 7; ++I, ++Next) {
      std::string P(Next % 53, char('a' + Next % 26));
      P += "#" + std::to_string(Next);
      ASSERT_TRUE(L.Ring.write(fields(uint16_t(Next % 1000)), bytes(P)));
    }
    L.Ring.read([&](const EventView &V) {
      std::string T = text(V);
      EXPECT_EQ(T.substr(T.find('#') + 1), std::to_string(Expected));
      EXPECT_EQ(T.find('#'), Expected % 53);
      ++Expected;
    });
  }
  EXPECT_EQ(Expected, Next);
  EXPECT_GT(L.Header.Head.load(), 10 * 4096u) << "the ring went round";
  EXPECT_EQ(L.Ring.lost(), 0u);
}

TEST(TraceRingTest, FullRingRefusesWholeEventsAndCountsThem) {
  LocalRing L(4096);
  std::string P(24, 'x');
  uint32_t Size = TraceRing::eventBytes(P.size());
  uint64_t Fit = 4096 / Size, Written = 0;
  for (int I = 0; I < 200; ++I)
    Written += L.Ring.write(fields(uint16_t(I)), bytes(P));
  EXPECT_EQ(Written, Fit);
  EXPECT_EQ(L.Ring.lost(), 200 - Fit);
  uint64_t Read = 0;
  L.Ring.read([&](const EventView &V) {
    EXPECT_EQ(V.Fields.MinorId, Read) << "the first events are kept";
    EXPECT_EQ(text(V), P);
    ++Read;
  });
  EXPECT_EQ(Read, Fit);
  // The reader freed the ring; the lost count is read once.
  EXPECT_EQ(L.Ring.takeLost(), 200 - Fit);
  EXPECT_EQ(L.Ring.takeLost(), 0u);
  EXPECT_TRUE(L.Ring.write(fields(1), bytes(P)));
}

TEST(TraceRingTest, ReaderStopsAtAHalfWrittenEvent) {
  LocalRing L(4096);
  ASSERT_TRUE(L.Ring.write(fields(1), bytes("done")));
  // A writer that reserved its place and has not stored its commit word.
  uint64_t At = L.Header.Head.fetch_add(TraceRing::eventBytes(0));
  ASSERT_TRUE(L.Ring.write(fields(3), bytes("after")));
  std::vector<uint16_t> Seen;
  auto Visit = [&](const EventView &V) { Seen.push_back(V.Fields.MinorId); };
  ReadStats Stats = L.Ring.read(Visit);
  EXPECT_TRUE(Stats.Incomplete);
  EXPECT_EQ(Seen, std::vector<uint16_t>{1});
  // The writer finishes: the reader goes on from there.
  auto *E = reinterpret_cast<EventHeader *>(
      reinterpret_cast<uint8_t *>(L.Data.get()) + At);
  E->MinorId = 2;
  E->PayloadBytes = 0;
  E->Commit.store(commitWord(At, TraceRing::eventBytes(0)));
  Stats = L.Ring.read(Visit);
  EXPECT_FALSE(Stats.Incomplete);
  EXPECT_EQ(Seen, (std::vector<uint16_t>{1, 2, 3}));
}

TEST(TraceRingTest, ConcurrentWritersAndAReader) {
  LocalRing L(16384);
  constexpr int Writers = 4;
  constexpr uint32_t PerWriter = 20000;
  std::atomic<int> Running{Writers};
  std::atomic<uint64_t> Refused{0};
  std::vector<std::thread> Threads;
  for (int W = 0; W < Writers; ++W)
    Threads.emplace_back([&, W] {
      for (uint32_t I = 0; I < PerWriter; ++I) {
        uint32_t Words[2] = {uint32_t(W), I};
        std::span<const uint8_t> P(reinterpret_cast<const uint8_t *>(Words),
                                   (I % 2 + 1) * sizeof(uint32_t));
        if (!L.Ring.write(fields(uint16_t(I % 2), uint32_t(W)), P))
          Refused.fetch_add(1);
      }
      Running.fetch_sub(1);
    });
  std::vector<int64_t> LastSeen(Writers, -1);
  uint64_t Read = 0, Bad = 0;
  auto Visit = [&](const EventView &V) {
    uint32_t W = V.Fields.Tid;
    uint32_t Words[2] = {0, 0};
    std::memcpy(Words, V.Payload.data(), V.Payload.size());
    // Odd events carry the sequence number; each writer's come in order.
    if (W >= Writers || Words[0] != W ||
        V.Payload.size() != (V.Fields.MinorId + 1) * sizeof(uint32_t))
      ++Bad;
    else if (V.Fields.MinorId == 1) {
      if (int64_t(Words[1]) <= LastSeen[W])
        ++Bad;
      LastSeen[W] = Words[1];
    }
    ++Read;
  };
  while (Running.load() > 0)
    L.Ring.read(Visit);
  for (std::thread &T : Threads)
    T.join();
  L.Ring.read(Visit);
  EXPECT_EQ(Bad, 0u);
  EXPECT_EQ(Read + L.Ring.lost(), uint64_t(Writers) * PerWriter);
  EXPECT_EQ(L.Ring.lost(), Refused.load());
}

TEST(TraceRegionTest, CreateOpenAndTheEventApi) {
  std::string Path = ::testing::TempDir() + "k42-trace-unit-" +
                     std::to_string(getpid()) + ".trace";
  Result<TraceRegion> Made = TraceRegion::create(Path, 3, 5000);
  ASSERT_TRUE(Made.isOk()) << Made.status().message();
  EXPECT_EQ(Made->rings(), 3u);
  EXPECT_EQ(Made->header().RingBytes, 8192u) << "rounded to a power of two";
  Result<TraceRegion> Opened = TraceRegion::open(Path);
  ASSERT_TRUE(Opened.isOk());

  ASSERT_TRUE(attach(Path).isOk());
  setK42Pid(17);
  event(Major::User, 9, "while off");
  EXPECT_FALSE(enabled());
  Made->header().Enabled.store(1);
  EXPECT_TRUE(enabled());
  event(Major::User, 9, "while on");
  Made->header().Enabled.store(0);
  std::vector<std::string> Seen;
  for (uint32_t I = 0; I < Opened->rings(); ++I)
    Opened->ring(I).read([&](const EventView &V) {
      EXPECT_EQ(V.Fields.K42Pid, 17u);
      EXPECT_EQ(V.Fields.HostPid, uint32_t(getpid()));
      EXPECT_EQ(V.Fields.Tid, uint32_t(gettid()));
      EXPECT_EQ(V.Fields.MajorId, uint16_t(Major::User));
      EXPECT_GT(V.Fields.Timestamp, 0u);
      Seen.push_back(text(V));
    });
  EXPECT_EQ(Seen, std::vector<std::string>{"while on"});
  unlink(Path.c_str());
  EXPECT_FALSE(TraceRegion::open(Path).isOk());
}
