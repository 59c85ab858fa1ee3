//===- test/unit/KernelTest.cpp - What a joining process is answered ------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// What a process that joins the system is answered: a kernel on a thread of
/// this test, on a socket in a private temporary folder, and raw clients
/// that say what a Linux personality process says (a hello it wants no
/// answer to, then its first requests at once).
///
//===----------------------------------------------------------------------===//

#include "Kernel.h"

#include "k42/ipc/Channel.h"
#include "k42/kernel/KernelLink.h"
#include "k42/kernel/KernelProtocol.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <string>
#include <sys/socket.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>

using namespace k42;
using namespace k42::kernel;

namespace {

/// A kernel serving on a thread until the fixture ends.
class KernelTest : public ::testing::Test {
protected:
  void SetUp() override {
    char Template[] = "/tmp/k42-kerneltest-XXXXXX";
    ASSERT_NE(mkdtemp(Template), nullptr);
    Dir = Template;
    KernelOptions Options;
    Options.SocketPath = Dir + "/kernel.sock";
    K = std::make_unique<Kernel>(Options);
    ASSERT_TRUE(K->boot().isOk());
    Thread = std::thread([this] { (void)K->run(&Stop); });
  }

  void TearDown() override {
    if (Thread.joinable()) {
      Stop = 1;
      Thread.join();
    }
    K.reset();
    rmdir(Dir.c_str());
  }

  /// A raw connection to the kernel (blocking), as a process opens one.
  int connectRaw() {
    sockaddr_un Address;
    int DirFd;
    EXPECT_TRUE(socketAddress(Dir + "/kernel.sock", Address, DirFd).isOk());
    int Fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    EXPECT_GE(Fd, 0);
    EXPECT_EQ(
        ::connect(Fd, reinterpret_cast<sockaddr *>(&Address), sizeof(Address)),
        0);
    if (DirFd >= 0)
      close(DirFd);
    return Fd;
  }

  static Message hello(int32_t State) {
    Message M{};
    M.Type = MessageType::Hello;
    M.Seq = 1;
    M.State = State;
    std::strcpy(M.Name, "kernel-test");
    return M;
  }

  static Message list(uint32_t Seq) {
    Message M{};
    M.Type = MessageType::List;
    M.Seq = Seq;
    return M;
  }

  std::string Dir;
  std::unique_ptr<Kernel> K;
  std::thread Thread;
  volatile int Stop = 0;
};

// A process that says hello with HelloNoReply and asks its first request
// right after is answered that request and nothing for the hello: the
// personality's process, which never uses its badge, is then woken once.
TEST_F(KernelTest, HelloNoReplyIsNotAnswered) {
  int Fd = connectRaw();
  ASSERT_TRUE(sendMessage(Fd, hello(HelloNoReply)).isOk());
  ASSERT_TRUE(sendMessage(Fd, list(2)).isOk());
  Message Reply{};
  ASSERT_TRUE(receiveMessage(Fd, Reply, nullptr).isOk());
  EXPECT_EQ(Reply.Type, MessageType::ProcessInfo);
  EXPECT_EQ(Reply.Seq, 2u);
  // The list names this process by its hello.
  bool Named = false;
  while (Reply.Type == MessageType::ProcessInfo) {
    Named = Named || std::strcmp(Reply.Name, "kernel-test") == 0;
    ASSERT_TRUE(receiveMessage(Fd, Reply, nullptr).isOk());
  }
  EXPECT_EQ(Reply.Type, MessageType::ListEnd);
  EXPECT_TRUE(Named);
  close(Fd);
}

// Any other hello is answered with the process's badge, before what the
// process asks next, as KernelLink expects.
TEST_F(KernelTest, HelloIsAnsweredFirst) {
  int Fd = connectRaw();
  ASSERT_TRUE(sendMessage(Fd, hello(0)).isOk());
  ASSERT_TRUE(sendMessage(Fd, list(2)).isOk());
  Message Reply{};
  ASSERT_TRUE(receiveMessage(Fd, Reply, nullptr).isOk());
  EXPECT_EQ(Reply.Type, MessageType::Hello);
  EXPECT_EQ(Reply.Seq, 1u);
  EXPECT_NE(Reply.Who.Pid, 0u);
  ASSERT_TRUE(receiveMessage(Fd, Reply, nullptr).isOk());
  EXPECT_EQ(Reply.Type, MessageType::ProcessInfo);
  close(Fd);
}

// Many requests sent back to back (read by the kernel in one round) are
// each answered, in order.
TEST_F(KernelTest, RequestsSentTogetherAreAllAnswered) {
  int Fd = connectRaw();
  ASSERT_TRUE(sendMessage(Fd, hello(HelloNoReply)).isOk());
  constexpr uint32_t Requests = 40; // more than one round reads
  for (uint32_t Seq = 2; Seq < 2 + Requests; ++Seq)
    ASSERT_TRUE(sendMessage(Fd, list(Seq)).isOk());
  for (uint32_t Seq = 2; Seq < 2 + Requests; ++Seq) {
    Message Reply{};
    do {
      ASSERT_TRUE(receiveMessage(Fd, Reply, nullptr).isOk());
      ASSERT_EQ(Reply.Seq, Seq);
    } while (Reply.Type == MessageType::ProcessInfo);
    EXPECT_EQ(Reply.Type, MessageType::ListEnd);
  }
  close(Fd);
}

// The channel the kernel makes without mapping it is the one create()
// makes: sealed, its header written, attached by either end as such.
TEST(ChannelRegionTest, AnUnmappedChannelAttachesAsAMappedOne) {
  Result<int> Fd = Channel::createRegion(64);
  ASSERT_TRUE(Fd.isOk());
  int Seals = fcntl(*Fd, F_GET_SEALS);
  EXPECT_EQ(Seals & (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL),
            F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL);
  Result<Channel> Chan = Channel::attach(*Fd);
  ASSERT_TRUE(Chan.isOk());
  EXPECT_EQ(Chan->numSlots(), 64u);
  Result<Channel> Mapped = Channel::create(64);
  ASSERT_TRUE(Mapped.isOk());
  EXPECT_EQ(
      std::memcmp(&Chan->header(), &Mapped->header(), sizeof(ChannelHeader)),
      0);
  EXPECT_FALSE(Channel::createRegion(0).isOk());
  EXPECT_FALSE(Channel::createRegion(ChannelLayout::MaxSlots + 1).isOk());
}

} // namespace
