//===- test/unit/GateTransportTest.cpp - A join's client end --------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The personality's end of a channel around a join: waiting for the
/// server's answer in the channel (the kernel answered at once), and what
/// a fork child finds of its parent's channels.
///
//===----------------------------------------------------------------------===//

#include "k42/personality/GateTransport.h"

#include "k42/ipc/Channel.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdint>
#include <linux/futex.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using k42::Channel;
using k42::ChannelHeader;
using k42::ObjectHandle;
using k42::Status;
using k42::personality::GateTransport;

namespace {

/// A channel as the kernel makes it, and its server's end mapped here.
struct Joined {
  Joined() {
    k42::Result<int> Region = Channel::createRegion(4);
    EXPECT_TRUE(Region.isOk());
    int Mine = dup(*Region);
    k42::Result<Channel> Mapped = Channel::attach(*Region);
    EXPECT_TRUE(Mapped.isOk());
    Server = std::make_unique<Channel>(std::move(*Mapped));
    long Error = 0;
    Via = GateTransport::attach(Mine, getpid(), Error);
    EXPECT_NE(Via, nullptr) << Error;
  }
  ~Joined() { GateTransport::release(Via); }

  /// What KernelLink::serve writes for a client answered at once.
  void answer(int64_t Raw, ObjectHandle Root) {
    ChannelHeader &H = Server->header();
    H.Root = Root;
    H.RootStatus = Raw;
    H.Answered.store(1);
    if (H.AnswerWaited.load())
      syscall(SYS_futex, &H.Answered, FUTEX_WAKE, 1, nullptr, nullptr, 0);
  }

  std::unique_ptr<Channel> Server;
  GateTransport *Via = nullptr;
};

/// Whether the page at \p At is mapped in this process.
bool mapped(const void *At) {
  auto Page = reinterpret_cast<uintptr_t>(At) & ~uintptr_t(4095);
  return msync(reinterpret_cast<void *>(Page), 4096, MS_ASYNC) == 0;
}

// The server answers before the client looks: the root is there at once.
TEST(GateTransportTest, AnAnswerAlreadyGivenIsTaken) {
  Joined J;
  J.answer(0, {5, 6, 7});
  ObjectHandle Root;
  EXPECT_EQ(J.Via->awaitAnswer(Root), 0);
  EXPECT_EQ(Root, (ObjectHandle{5, 6, 7}));
}

// The server answers while the client sleeps: it wakes the client.
TEST(GateTransportTest, ALateAnswerWakesTheClient) {
  Joined J;
  std::thread Server([&] {
    while (!J.Server->header().AnswerWaited.load())
      std::this_thread::yield();
    J.answer(0, {1, 2, 3});
  });
  ObjectHandle Root;
  EXPECT_EQ(J.Via->awaitAnswer(Root), 0);
  EXPECT_EQ(Root, (ObjectHandle{1, 2, 3}));
  Server.join();
}

// A refusal is the server's errno; a status that is no errno, EPROTO.
TEST(GateTransportTest, ARefusalIsAnErrno) {
  Joined J;
  J.answer(Status::error(EACCES).raw(), {});
  ObjectHandle Root;
  EXPECT_EQ(J.Via->awaitAnswer(Root), -EACCES);
  EXPECT_FALSE(Root.isValid());
  Joined K;
  K.answer(12345, {1, 2, 3});
  EXPECT_EQ(K.Via->awaitAnswer(Root), -EPROTO);
  EXPECT_FALSE(Root.isValid());
}

// A server that dies before it answers is no hang: the client's watch of
// it ends the wait with ECONNRESET.
TEST(GateTransportTest, AServerGoneBeforeItAnswersIsAnError) {
  k42::Result<int> Region = Channel::createRegion(4);
  ASSERT_TRUE(Region.isOk());
  pid_t Dead = fork();
  if (Dead == 0)
    _exit(0);
  ASSERT_EQ(waitpid(Dead, nullptr, 0), Dead);
  long Error = 0;
  GateTransport *Via = GateTransport::attach(*Region, Dead, Error);
  ASSERT_NE(Via, nullptr) << Error;
  ObjectHandle Root;
  EXPECT_EQ(Via->awaitAnswer(Root), -ECONNRESET);
  GateTransport::release(Via);
}

// A fork child finds none of its parent's channels (it would only unmap
// them), but the mount table's, which it watches; and letting go of its
// copy of a parent's transport unmaps nothing: memory the child mapped
// at the same place since is still there.
TEST(GateTransportTest, AForkChildFindsOnlyTheChannelsItWatches) {
  Joined Own;
  k42::Result<int> Region = Channel::createRegion(4);
  ASSERT_TRUE(Region.isOk());
  long Error = 0;
  GateTransport *Table = GateTransport::attach(
      *Region, getpid(), Error, GateTransport::Children::WatchIt);
  ASSERT_NE(Table, nullptr) << Error;
  const void *OwnAt = Own.Via->ring();
  const void *TableAt = Table->ring();
  ASSERT_TRUE(mapped(OwnAt));
  ASSERT_TRUE(mapped(TableAt));
  pid_t Child = fork();
  if (Child == 0) {
    int Code = 0;
    if (mapped(OwnAt))
      Code |= 1;
    if (!mapped(TableAt))
      Code |= 2;
    auto Page = reinterpret_cast<uintptr_t>(OwnAt) & ~uintptr_t(4095);
    void *Mine =
        mmap(reinterpret_cast<void *>(Page), 4096, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (Mine != reinterpret_cast<void *>(Page))
      Code |= 4;
    GateTransport *Parents = Own.Via;
    Own.Via = nullptr;
    GateTransport::release(Parents);
    if (!mapped(OwnAt))
      Code |= 8;
    _exit(Code);
  }
  int Status = -1;
  ASSERT_EQ(waitpid(Child, &Status, 0), Child);
  ASSERT_TRUE(WIFEXITED(Status));
  EXPECT_EQ(WEXITSTATUS(Status), 0);
  GateTransport::release(Table);
}

} // namespace
