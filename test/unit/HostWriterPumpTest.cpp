//===- test/unit/HostWriterPumpTest.cpp - Host writes into a ring ---------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "HostWriterPump.h"

#include "k42/personality/PipeRing.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <string>
#include <thread>

#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace k42::pipe;
using k42::personality::PipeRing;

namespace {

long copy(void *To, const void *From, size_t Length) {
  std::memcpy(To, From, Length);
  return 0;
}

/// A ring, and a placeholder pair as the personality makes one: Writer is
/// the end's descriptor in a process, Server the side the pipe server
/// holds and pumps.
class HostWriterPumpTest : public ::testing::Test {
protected:
  void SetUp() override {
    void *At = mmap(nullptr, PipeRing::Bytes, PROT_READ | PROT_WRITE,
                    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    ASSERT_NE(At, MAP_FAILED);
    R = static_cast<PipeRing *>(At);
    R->init();
    int Pair[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, Pair), 0);
    Writer = Pair[0];
    Server = Pair[1];
  }
  void TearDown() override {
    if (Writer >= 0)
      close(Writer);
    close(Server);
    munmap(R, PipeRing::Bytes);
  }

  void startPump() {
    Pump = std::thread([this] { Why = HostWriterPump::run(Server, *R, Stop); });
  }
  /// Everything the ring gets until the pump ends, read as a reader does.
  std::string readAll() {
    std::string Out;
    for (;;) {
      R->Lock.lock();
      size_t N = size_t(R->used());
      std::string Piece(N, '\0');
      if (N)
        EXPECT_EQ(R->get(Piece.data(), N, copy), 0);
      R->Lock.unlock();
      Out += Piece;
      if (N)
        HostWriterPump::wakeSleepers(*R);
      else if (Done.load())
        return Out;
      else
        usleep(100);
    }
  }
  void closeWriter() {
    close(Writer);
    Writer = -1;
  }

  PipeRing *R = nullptr;
  int Writer = -1;
  int Server = -1;
  std::atomic<bool> Stop{false};
  std::atomic<bool> Done{false};
  HostWriterPump::Ended Why = HostWriterPump::Ended::Stopped;
  std::thread Pump;
};

TEST_F(HostWriterPumpTest, RecordsReachTheRingInOrderThenTheWritersGo) {
  startPump();
  ASSERT_EQ(write(Writer, "first\n", 6), 6);
  ASSERT_EQ(write(Writer, "second\n", 7), 7);
  closeWriter();
  std::thread Reader([this] {
    Pump.join();
    Done.store(true);
  });
  EXPECT_EQ(readAll(), "first\nsecond\n");
  Reader.join();
  EXPECT_EQ(Why, HostWriterPump::Ended::WritersGone);
}

TEST_F(HostWriterPumpTest, TheTagLeftUnreadInThePlaceholderLosesNothing) {
  // The server's PipeTag sits unread on the writer's side: its close then
  // resets the connection, which the server's side reports once.
  ASSERT_EQ(send(Server, "tag", 3, 0), 3);
  ASSERT_EQ(write(Writer, "bytes", 5), 5);
  closeWriter();
  startPump();
  std::thread Reader([this] {
    Pump.join();
    Done.store(true);
  });
  EXPECT_EQ(readAll(), "bytes");
  Reader.join();
  EXPECT_EQ(Why, HostWriterPump::Ended::WritersGone);
}

TEST_F(HostWriterPumpTest, ARecordLargerThanTheRingWaitsForRoom) {
  std::string Big(200000, '\0');
  for (size_t I = 0; I < Big.size(); ++I)
    Big[I] = char('a' + I % 26);
  int Size = 1 << 20;
  ASSERT_EQ(setsockopt(Writer, SOL_SOCKET, SO_SNDBUF, &Size, sizeof(Size)), 0);
  startPump();
  std::thread Sender([&] {
    EXPECT_EQ(write(Writer, Big.data(), Big.size()), ssize_t(Big.size()));
    closeWriter();
    Pump.join();
    Done.store(true);
  });
  std::string Got = readAll();
  Sender.join();
  EXPECT_EQ(Got.size(), Big.size());
  EXPECT_TRUE(Got == Big);
  EXPECT_EQ(Why, HostWriterPump::Ended::WritersGone);
}

TEST_F(HostWriterPumpTest, NoReaderEndsThePump) {
  R->ReadersGone.store(1);
  startPump();
  ASSERT_EQ(write(Writer, "lost", 4), 4);
  Pump.join();
  EXPECT_EQ(Why, HostWriterPump::Ended::ReadersGone);
  EXPECT_EQ(R->used(), 0u);
}

TEST_F(HostWriterPumpTest, StoppingEndsAWaitForRoom) {
  // A full ring and nobody reading: the pump waits until told to stop.
  std::string Fill(R->Capacity, 'x');
  ASSERT_EQ(R->put(Fill.data(), Fill.size(), copy), 0);
  startPump();
  ASSERT_EQ(write(Writer, "more", 4), 4);
  usleep(20000);
  Stop.store(true);
  HostWriterPump::wakeSleepers(*R);
  Pump.join();
  EXPECT_EQ(Why, HostWriterPump::Ended::Stopped);
}

} // namespace
