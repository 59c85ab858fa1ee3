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

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

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

  /// A personality process's join: its hello and a Connect to kernel
  /// path \p Path (or, to process \p Server, for \p Path), answered at
  /// once.
  static Message join(uint32_t Seq, const char *Path, ProcessId Server = 0) {
    Message M{};
    M.Type = MessageType::Connect;
    M.Seq = Seq;
    M.Who.Pid = Server;
    M.State = ConnectAnswerAtOnce | ConnectSaysHello;
    std::strcpy(M.Name, Path);
    return M;
  }

  /// Waits (up to a few seconds: a guard against a hang, not a measure)
  /// for a message on \p Fd; false if none came.
  static bool readable(int Fd) {
    pollfd P{Fd, POLLIN, 0};
    return poll(&P, 1, 5000) == 1;
  }

  /// A raw server registered at kernel path \p Path that answers nothing
  /// unless the test makes it.
  int rawServer(const char *Path) {
    int Fd = connectRaw();
    EXPECT_TRUE(sendMessage(Fd, hello(HelloNoReply)).isOk());
    Message R{};
    R.Type = MessageType::Register;
    R.Seq = 2;
    std::strcpy(R.Name, Path);
    EXPECT_TRUE(sendMessage(Fd, R).isOk());
    EXPECT_TRUE(receiveMessage(Fd, R, nullptr).isOk());
    EXPECT_EQ(R.Type, MessageType::Register);
    return Fd;
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

// A join answered at once: the client has its channel while the server
// has not answered (nor even read its NewClient), and the server is told
// to answer in the channel. The Connect was the process's hello too: the
// kernel lists it by the personality's name.
TEST_F(KernelTest, AJoinIsAnsweredBeforeTheServer) {
  int Server = rawServer("/join-test");
  int Client = connectRaw();
  ASSERT_TRUE(sendMessage(Client, join(1, "/join-test")).isOk());
  ASSERT_TRUE(readable(Client));
  Message Reply{};
  int Chan = -1;
  ASSERT_TRUE(receiveMessage(Client, Reply, &Chan).isOk());
  EXPECT_EQ(Reply.Type, MessageType::Connected);
  EXPECT_EQ(Reply.Seq, 1u);
  EXPECT_FALSE(Reply.Handle.isValid());
  ASSERT_GE(Chan, 0);
  Message New{};
  int ServerChan = -1;
  ASSERT_TRUE(readable(Server));
  ASSERT_TRUE(receiveMessage(Server, New, &ServerChan).isOk());
  EXPECT_EQ(New.Type, MessageType::NewClient);
  EXPECT_EQ(New.State, NewClientAnswerInChannel);
  EXPECT_STREQ(New.Name, "/join-test");
  ASSERT_GE(ServerChan, 0);
  // The same memory at both ends.
  struct stat A, B;
  ASSERT_EQ(fstat(Chan, &A), 0);
  ASSERT_EQ(fstat(ServerChan, &B), 0);
  EXPECT_EQ(A.st_ino, B.st_ino);
  // The Connected and the NewClient say its size, so neither end need
  // ask (nor check the seals of what the kernel sealed).
  EXPECT_EQ(Reply.Status, int64_t(A.st_size));
  EXPECT_EQ(New.Status, int64_t(A.st_size));
  // A ClientReady for it (a server that answers the old way, or replays
  // an answer) gives the client nothing more: its next message is the
  // answer to its next request.
  Message Ready{};
  Ready.Type = MessageType::ClientReady;
  Ready.Seq = New.Seq;
  Ready.Handle = {1, 2, 3};
  ASSERT_TRUE(sendMessage(Server, Ready).isOk());
  ASSERT_TRUE(sendMessage(Client, list(2)).isOk());
  bool Named = false;
  do {
    int Extra = -1;
    ASSERT_TRUE(receiveMessage(Client, Reply, &Extra).isOk());
    EXPECT_EQ(Extra, -1);
    EXPECT_EQ(Reply.Seq, 2u);
    if (Reply.Type == MessageType::ProcessInfo)
      Named = Named || std::strcmp(Reply.Name, PersonalityName) == 0;
  } while (Reply.Type == MessageType::ProcessInfo);
  EXPECT_EQ(Reply.Type, MessageType::ListEnd);
  EXPECT_TRUE(Named);
  close(Chan);
  close(ServerChan);
  close(Client);
  close(Server);
}

// The server's answer reaches the client in the channel: the root handle
// KernelLink::serve's caller made, or its refusal as an error status.
TEST_F(KernelTest, TheServerAnswersAJoinInTheChannel) {
  std::string Socket = Dir + "/kernel.sock";
  Result<std::unique_ptr<KernelLink>> Link =
      KernelLink::connect("join-server", Socket);
  ASSERT_TRUE(Link.isOk());
  ASSERT_TRUE((*Link)->registerService("/join-served").isOk());
  // Kept mapped (as a ChannelServer keeps them) until the end.
  std::vector<Channel> Kept;
  std::thread Serving([&] {
    (void)(*Link)->serve(
        [&Kept](const Badge &, std::string_view Path,
                Channel &&Chan) -> Result<ObjectHandle> {
          if (Path == "/refuse")
            return Status::error(EACCES);
          Kept.push_back(std::move(Chan));
          return ObjectHandle{7, 8, 9};
        },
        [](const Badge &) {});
  });
  ProcessId ServerPid = (*Link)->self().Pid;
  auto Answer = [&](const char *Path, ProcessId To,
                    ObjectHandle &Root) -> int64_t {
    int Client = connectRaw();
    EXPECT_TRUE(sendMessage(Client, join(1, Path, To)).isOk());
    Message Reply{};
    int Fd = -1;
    EXPECT_TRUE(readable(Client));
    EXPECT_TRUE(receiveMessage(Client, Reply, &Fd).isOk());
    EXPECT_EQ(Reply.Type, MessageType::Connected);
    Result<Channel> Chan = Channel::attach(Fd);
    EXPECT_TRUE(Chan.isOk());
    if (!Chan)
      return 1;
    ChannelHeader &H = Chan->header();
    for (int Tries = 0; H.Answered.load() == 0 && Tries < 5000; ++Tries)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    EXPECT_EQ(H.Answered.load(), 1u);
    Root = H.Root;
    int64_t Raw = H.RootStatus;
    close(Client);
    return Raw;
  };
  ObjectHandle Root;
  EXPECT_EQ(Answer("/join-served", 0, Root), 0);
  EXPECT_EQ(Root, (ObjectHandle{7, 8, 9}));
  // Refused: the client learns why, and no handle.
  Root = {};
  EXPECT_EQ(Answer("/refuse", ServerPid, Root), Status::error(EACCES).raw());
  EXPECT_FALSE(Root.isValid());
  Stop = 1;
  Thread.join();
  Serving.join();
}

// Channels the kernel made ahead of the joins that take them: each join,
// one after another (more than the kernel keeps ready), gets a channel no
// other process has had, fresh (no answer in it), and its server the
// same channel with the joining process's badge.
TEST_F(KernelTest, EveryJoinGetsAChannelOfItsOwn) {
  int Server = rawServer("/fresh-test");
  std::vector<ino_t> Seen;
  std::vector<ProcessId> Badges;
  std::vector<int> Clients;
  for (uint32_t I = 0; I < 10; ++I) {
    int Client = connectRaw();
    Clients.push_back(Client);
    ASSERT_TRUE(sendMessage(Client, join(1, "/fresh-test")).isOk());
    ASSERT_TRUE(readable(Client));
    Message Reply{};
    int Chan = -1;
    ASSERT_TRUE(receiveMessage(Client, Reply, &Chan).isOk());
    ASSERT_EQ(Reply.Type, MessageType::Connected);
    ASSERT_GE(Chan, 0);
    Message New{};
    int ServerChan = -1;
    ASSERT_TRUE(readable(Server));
    ASSERT_TRUE(receiveMessage(Server, New, &ServerChan).isOk());
    ASSERT_EQ(New.Type, MessageType::NewClient);
    ASSERT_GE(ServerChan, 0);
    struct stat A, B;
    ASSERT_EQ(fstat(Chan, &A), 0);
    ASSERT_EQ(fstat(ServerChan, &B), 0);
    EXPECT_EQ(A.st_ino, B.st_ino);
    for (ino_t Before : Seen)
      EXPECT_NE(A.st_ino, Before);
    Seen.push_back(A.st_ino);
    // A new process, a new badge: the server learns who it is from this.
    for (ProcessId Before : Badges)
      EXPECT_NE(New.Who.Pid, Before);
    Badges.push_back(New.Who.Pid);
    Result<Channel> Mapped = Channel::attach(Chan, Channel::sizeFor(64));
    ASSERT_TRUE(Mapped.isOk());
    EXPECT_EQ(Mapped->header().Answered.load(), 0u);
    EXPECT_EQ(Mapped->numSlots(), 64u);
    // Written by this one only: the next join must not see it.
    Mapped->header().Answered.store(1);
    close(ServerChan);
  }
  for (int Client : Clients)
    close(Client);
  close(Server);
}

// The channel the kernel makes without mapping it is the one create()
// makes: sealed, its header written, attached by either end as such.
// A process that changed its credentials and says so (Credentials) has
// the channels it makes from then on badged with the host's new ones:
// SO_PEERCRED only says what they were at connect().
TEST_F(KernelTest, ChangedCredentialsBadgeLaterChannels) {
  if (geteuid() != 0)
    GTEST_SKIP() << "changing credentials needs root";
  int Server = rawServer("/cred-test");
  pid_t Child = fork();
  ASSERT_GE(Child, 0);
  if (Child == 0) {
    // Two joins, the second after setuid and Credentials; each waits for
    // its Connected. The exit status says how far it got.
    int Fd = connectRaw();
    auto Joined = [&](uint32_t Seq, int32_t State) {
      Message M = join(Seq, "/cred-test");
      M.State = State;
      Message Reply{};
      int Chan = -1;
      if (!sendMessage(Fd, M).isOk() ||
          !receiveMessage(Fd, Reply, &Chan).isOk())
        return false;
      if (Chan >= 0)
        close(Chan);
      return Reply.Type == MessageType::Connected;
    };
    if (!Joined(1, ConnectAnswerAtOnce | ConnectSaysHello))
      _exit(1);
    if (setresgid(65534, 65534, 65534) != 0 ||
        setresuid(65534, 65534, 65534) != 0)
      _exit(2);
    Message C{};
    C.Type = MessageType::Credentials;
    C.Seq = 2;
    C.Who.Uid = 0; // Not believed: the kernel asks the host.
    if (!sendMessage(Fd, C).isOk())
      _exit(3);
    _exit(Joined(3, ConnectAnswerAtOnce) ? 0 : 4);
  }
  uint32_t Uids[2] = {1, 1}, Gids[2] = {1, 1};
  for (int I = 0; I < 2; ++I) {
    Message New{};
    int Chan = -1;
    ASSERT_TRUE(readable(Server));
    ASSERT_TRUE(receiveMessage(Server, New, &Chan).isOk());
    ASSERT_EQ(New.Type, MessageType::NewClient);
    if (Chan >= 0)
      close(Chan);
    Uids[I] = New.Who.Uid;
    Gids[I] = New.Who.Gid;
  }
  int Status = 0;
  ASSERT_EQ(waitpid(Child, &Status, 0), Child);
  EXPECT_TRUE(WIFEXITED(Status) && WEXITSTATUS(Status) == 0) << Status;
  EXPECT_EQ(Uids[0], 0u);
  EXPECT_EQ(Gids[0], 0u);
  EXPECT_EQ(Uids[1], 65534u);
  EXPECT_EQ(Gids[1], 65534u);
  close(Server);
}

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
  // Attached at the size the kernel says, it is the same channel.
  Result<int> Told = Channel::createRegion(64);
  ASSERT_TRUE(Told.isOk());
  Result<Channel> Sized = Channel::attach(*Told, Channel::sizeFor(64));
  ASSERT_TRUE(Sized.isOk());
  EXPECT_EQ(Sized->numSlots(), 64u);
  EXPECT_EQ(
      std::memcmp(&Sized->header(), &Mapped->header(), sizeof(ChannelHeader)),
      0);
  EXPECT_FALSE(Channel::createRegion(0).isOk());
  EXPECT_FALSE(Channel::createRegion(ChannelLayout::MaxSlots + 1).isOk());
}

} // namespace
