//===- test/unit/HandlerStubTest.cpp - Allocation-free stubs --------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// HandlerStub<Name> (stubc --client=handler) over the personality's own
/// transport (GateTransport) to a server in another process: results that
/// fit their buffers, fit exactly, or do not fit (ReplyTooBig, nothing
/// copied, the length said), in the page and through the bulk window; and
/// hostile replies (a count past the buffer, past the page or the bulk
/// area, a truncated or overlong message), each an error with not one byte
/// written past the caller's buffer.
///
//===----------------------------------------------------------------------===//

#include "AllKinds.k42.h"
#include "AllKindsImpl.h"

#include "k42/personality/GateTransport.h"

#include <k42/ipc/Channel.h>
#include <k42/ipc/ChannelServer.h>
#include <k42/ipc/HandleTable.h>
#include <k42/ipc/PPCReader.h>
#include <k42/ipc/PPCWriter.h>

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <csignal>
#include <cstring>
#include <functional>
#include <string>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace alltest;
using k42::personality::GateTransport;

namespace {

constexpr k42::Badge ClientBadge{100, 1000, 1000, 0};

using Stub = HandlerStubAllKinds<GateTransport>;

/// A server process serving the object \p Make returns on a channel this
/// process reaches through a GateTransport, as a personality process does.
class GateServer {
public:
  explicit GateServer(std::function<k42::XObject *()> Make) {
    k42::Result<int> Region = k42::Channel::createRegion(8);
    EXPECT_TRUE(Region.isOk());
    int Pipe[2];
    EXPECT_EQ(pipe(Pipe), 0);
    Pid = fork();
    if (Pid == 0) {
      close(Pipe[0]);
      serve(*Region, Pipe[1], Make);
    }
    close(Pipe[1]);
    EXPECT_EQ(read(Pipe[0], &Handle, sizeof(Handle)), ssize_t(sizeof(Handle)));
    close(Pipe[0]);
    long Error = 0;
    Via = GateTransport::attach(*Region, Pid, Error);
    EXPECT_NE(Via, nullptr) << Error;
  }

  ~GateServer() {
    GateTransport::release(Via);
    kill(Pid, SIGKILL);
    waitpid(Pid, nullptr, 0);
  }

  Stub stub() { return Stub(*Via, Handle); }

  pid_t Pid;
  k42::ObjectHandle Handle;
  GateTransport *Via = nullptr;

private:
  [[noreturn]] static void serve(int Fd, int HandleOut,
                                 const std::function<k42::XObject *()> &Make) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    k42::Result<k42::Channel> Chan = k42::Channel::attach(Fd);
    if (!Chan)
      _exit(2);
    k42::HandleTable Table(/*Endpoint=*/7, 64);
    // The child's objects live until it is killed.
    k42::Result<k42::ObjectHandle> H =
        Table.insert(*Make(), MetaAllKinds::Rights::all, ClientBadge.Pid);
    k42::ChannelServer Server(std::move(*Chan), ClientBadge, Table);
    if (!H || write(HandleOut, &*H, sizeof(*H)) != ssize_t(sizeof(*H)))
      _exit(3);
    close(HandleOut);
    Server.start();
    for (;;)
      pause();
  }
};

GateServer realServer() {
  return GateServer([] { return new XAllKinds(*new AllKindsImpl); });
}

/// A buffer of Size bytes the stub may fill, followed by guard bytes it
/// must never touch.
template <size_t Size> struct Guarded {
  static constexpr size_t Guard = 64;
  std::array<char, Size + Guard> Bytes;
  Guarded() { Bytes.fill('#'); }
  std::span<char> room() { return std::span<char>(Bytes.data(), Size); }
  bool untouched(size_t From = 0) const {
    for (size_t I = From; I < Bytes.size(); ++I)
      if (Bytes[I] != '#')
        return false;
    return true;
  }
};

TEST(HandlerStubTest, AStringThatFitsComesBackWithItsLength) {
  GateServer Server = realServer();
  Guarded<16> Out;
  size_t Length = 99;
  k42::Status S = Server.stub().strings("ab", "c", "d", Out.room(), Length);
  ASSERT_TRUE(S.isOk()) << S.message();
  EXPECT_EQ(Length, 6u);
  EXPECT_EQ(std::string_view(Out.Bytes.data(), Length), "ab|c|d");
  EXPECT_TRUE(Out.untouched(6));
}

TEST(HandlerStubTest, AStringThatExactlyFitsFillsTheBuffer) {
  GateServer Server = realServer();
  Guarded<16> Out;
  size_t Length = 0;
  // 7 + 1 + 3 + 1 + 4 = 16 bytes.
  ASSERT_TRUE(
      Server.stub().strings("abcdefg", "hij", "klmn", Out.room(), Length));
  EXPECT_EQ(Length, 16u);
  EXPECT_EQ(std::string_view(Out.Bytes.data(), 16), "abcdefg|hij|klmn");
  EXPECT_TRUE(Out.untouched(16));
}

TEST(HandlerStubTest, AStringOneByteTooLongCopiesNothingAndSaysItsLength) {
  GateServer Server = realServer();
  Guarded<16> Out;
  size_t Length = 0;
  k42::Status S =
      Server.stub().strings("abcdefgh", "hij", "klmn", Out.room(), Length);
  ASSERT_FALSE(S.isOk());
  EXPECT_EQ(S.errorCode(), k42::errc::ReplyTooBig);
  EXPECT_EQ(Length, 17u);
  EXPECT_TRUE(Out.untouched());
  // The slot is free again and the stub still works.
  ASSERT_TRUE(Server.stub().strings("a", "b", "c", Out.room(), Length));
  EXPECT_EQ(std::string_view(Out.Bytes.data(), Length), "a|b|c");
}

TEST(HandlerStubTest, LargeResultsComeThroughTheBulkWindow) {
  GateServer Server = realServer();
  // 3 x 3000 bytes: out of line both ways.
  std::string A(3000, 'a'), B(3000, 'b'), C(3000, 'c');
  static Guarded<9002> Out;
  size_t Length = 0;
  ASSERT_TRUE(Server.stub().strings(A, B, C, Out.room(), Length));
  EXPECT_EQ(Length, 9002u);
  EXPECT_EQ(std::string_view(Out.Bytes.data(), Length), A + "|" + B + "|" + C);
  EXPECT_TRUE(Out.untouched(9002));

  static Guarded<9001> Short;
  k42::Status S = Server.stub().strings(A, B, C, Short.room(), Length);
  EXPECT_EQ(S.errorCode(), k42::errc::ReplyTooBig);
  EXPECT_EQ(Length, 9002u);
  EXPECT_TRUE(Short.untouched());
}

TEST(HandlerStubTest, VectorsAndInoutBuffers) {
  GateServer Server = realServer();
  const uint32_t In[] = {1, 2, 3};
  uint32_t Doubled[4] = {0, 0, 0, 77};
  size_t Count = 0;
  ASSERT_TRUE(
      Server.stub().vectors(In, std::span<uint32_t>(Doubled, 3), Count));
  EXPECT_EQ(Count, 3u);
  EXPECT_EQ(Doubled[2], 6u);
  EXPECT_EQ(Doubled[3], 77u);
  EXPECT_EQ(Server.stub()
                .vectors(In, std::span<uint32_t>(Doubled, 2), Count)
                .errorCode(),
            k42::errc::ReplyTooBig);
  EXPECT_EQ(Count, 3u);

  // inout: the first Length bytes go, the reply comes back in place.
  char Text[8] = {'a', 'b', 'c', 'x', 'x', 'x', 'x', 'x'};
  size_t Length = 3;
  ASSERT_TRUE(Server.stub().inoutString(Text, Length));
  EXPECT_EQ(Length, 3u);
  EXPECT_EQ(std::string_view(Text, 3), "cba");
  EXPECT_EQ(Text[3], 'x');
  Length = 9; // more than the buffer holds: the caller's mistake
  EXPECT_EQ(Server.stub().inoutString(Text, Length).errorCode(), EINVAL);

  // inoutVector grows by one element: a buffer with no room to spare.
  Extent Items[2] = {{1, 1, 1}, {9, 9, 9}};
  size_t N = 1;
  ASSERT_TRUE(Server.stub().inoutVector(Items, N));
  EXPECT_EQ(N, 2u);
  EXPECT_EQ(Items[0].Length, 2u);
  EXPECT_EQ(Items[1].Offset, 7u);
  N = 2;
  EXPECT_EQ(
      Server.stub().inoutVector(std::span<Extent>(Items, 2), N).errorCode(),
      k42::errc::ReplyTooBig);
  EXPECT_EQ(N, 3u);
}

TEST(HandlerStubTest, ScalarsSpansAndErrorsAsStubAllKinds) {
  GateServer Server = realServer();
  int64_t Sum = 0;
  bool NotF = false;
  Colour Same = Colour::Red;
  ASSERT_TRUE(Server.stub().scalars(1, 2, 3, 4, 5.5, false, Colour::Green, Sum,
                                    NotF, Same));
  EXPECT_EQ(Sum, 15);
  EXPECT_TRUE(NotF);
  EXPECT_EQ(Same, Colour::Green);
  uint16_t Fill[4] = {};
  ASSERT_TRUE(Server.stub().spanOut(Fill));
  EXPECT_EQ(Fill[3], 9);
  k42::Status Value = Server.stub().positive(31337);
  EXPECT_EQ(Value.value(), 31337);
  EXPECT_FALSE(Server.stub().positive(-1).isOk());
}

//===-- Hostile replies ---------------------------------------------------===//

/// What the hostile server answers to `strings`, chosen by the first
/// string of the request.
enum class Lie : char {
  /// A count of 40 bytes, sent in full: more than the client's 16.
  LongerThanBuffer = 'L',
  /// A count of 3000 inline, with a payload of only 64 bytes.
  PastThePage = 'P',
  /// A count of 10, the message cut after 4 of its bytes.
  Truncated = 'T',
  /// Out of line, at an offset past the bulk area.
  PastTheBulkArea = 'B',
  /// Out of line, the count with its offset making it run past the area.
  RunsOffTheBulkArea = 'R',
  /// A fitting string, then bytes nobody asked for.
  TrailingBytes = 'X',
  /// A payload length beyond the page.
  LengthBeyondThePage = 'H',
  /// A fitting string: the control case.
  Honest = 'O',
};

/// Answers AllKinds::strings with whatever the request asks it to lie.
class HostileX final : public k42::XObject {
public:
  void dispatch(const k42::CallContext &Context, const k42::PPCPage &Request,
                k42::PPCPage &Reply) override {
    Reply.MethodId = Request.MethodId;
    Reply.Fingerprint = MetaAllKinds::Fingerprint;
    Reply.Status = k42::Status::ok().raw();
    k42::PPCReader In(Request, Context.Bulk.Request);
    std::string_view Mode;
    (void)In.getStringView(Mode);
    k42::PPCWriter Out(Reply, Context.Bulk.Reply);
    auto Count = [&](uint32_t N) { Out.put(N); };
    switch (Mode.empty() ? Lie::Honest : Lie(Mode[0])) {
    case Lie::LongerThanBuffer:
      Out.putArray(std::string(40, 'z').data(), 40, 1);
      break;
    case Lie::PastThePage:
      Count(3000);
      Out.put(uint64_t(0));
      for (int I = 0; I < 7; ++I)
        Out.put(uint64_t(0x7a7a7a7a7a7a7a7a));
      break;
    case Lie::Truncated:
      Count(10);
      Out.put(uint32_t(0)); // pad to 8
      Out.put(uint32_t(0x7a7a7a7a));
      break;
    case Lie::PastTheBulkArea:
      Count(8 | k42::ArrayOutOfLine);
      Out.put(uint32_t(k42::BulkArea::Capacity + 64));
      break;
    case Lie::RunsOffTheBulkArea:
      Count(4096 | k42::ArrayOutOfLine);
      Out.put(uint32_t(k42::BulkArea::Capacity - 1024));
      break;
    case Lie::TrailingBytes:
      Out.putArray("ok", 2, 1);
      Out.put(uint64_t(0x7a7a7a7a7a7a7a7a));
      break;
    case Lie::LengthBeyondThePage:
      Out.putArray("ok", 2, 1);
      (void)Out.finish();
      Reply.Length = k42::PPCPage::PayloadCapacity + 8;
      return;
    case Lie::Honest:
      Out.putArray("ok", 2, 1);
      break;
    }
    (void)Out.finish();
  }
  const k42::InterfaceInfo &interfaceInfo() const override {
    return MetaAllKinds::Info;
  }
};

/// The hostile server's answer to the lie \p L, into a 16-byte buffer.
k42::Status ask(GateServer &Server, Lie L, Guarded<16> &Out, size_t &Length) {
  char Mode[2] = {char(L), 0};
  return Server.stub().strings(Mode, "", "", Out.room(), Length);
}

TEST(HandlerStubTest, HostileRepliesAreErrorsAndNeverOverrunTheBuffer) {
  GateServer Server([] { return new HostileX; });
  struct Case {
    Lie L;
    int Error;
  } Cases[] = {
      {Lie::LongerThanBuffer, k42::errc::ReplyTooBig},
      {Lie::PastThePage, k42::errc::BadMessage},
      {Lie::Truncated, k42::errc::BadMessage},
      {Lie::PastTheBulkArea, k42::errc::BadMessage},
      {Lie::RunsOffTheBulkArea, k42::errc::BadMessage},
      {Lie::TrailingBytes, k42::errc::BadMessage},
      {Lie::LengthBeyondThePage, k42::errc::BadMessage},
  };
  for (const Case &C : Cases) {
    Guarded<16> Out;
    size_t Length = 12345;
    k42::Status S = ask(Server, C.L, Out, Length);
    EXPECT_FALSE(S.isOk()) << char(C.L);
    EXPECT_EQ(S.errorCode(), C.Error) << char(C.L);
    // TrailingBytes copies its two honest bytes before the check that
    // fails; nothing else writes into the buffer, and nothing past it.
    EXPECT_TRUE(Out.untouched(C.L == Lie::TrailingBytes ? 2 : 0)) << char(C.L);
    if (C.L == Lie::LongerThanBuffer)
      EXPECT_EQ(Length, 40u);
  }
  // The control: the same server's honest answer is read.
  Guarded<16> Out;
  size_t Length = 0;
  ASSERT_TRUE(ask(Server, Lie::Honest, Out, Length));
  EXPECT_EQ(std::string_view(Out.Bytes.data(), Length), "ok");
}

} // namespace
