//===- test/unit/AllKindsTest.cpp - Every kind, stub to implementation ----===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Calls through StubAllKinds -> PPC page -> XAllKinds -> implementation and
/// back, for every parameter kind and direction, at the empty size, the
/// largest a page holds, the largest the bulk window holds and one more, and
/// with handles that lack the rights a method needs.
///
//===----------------------------------------------------------------------===//

#include "AllKinds.k42.h"
#include "AllKindsImpl.h"

#include <k42/ipc/InProcTransport.h>

#include <gtest/gtest.h>

#include <numeric>

using namespace alltest;

namespace {

/// The largest string or byte array one page carries beside its count.
constexpr size_t PageBytes = k42::PPCPage::PayloadCapacity - 8;
/// The largest array a call carries: all of its direction's bulk area.
constexpr size_t MaxBytes = k42::BulkArea::Capacity;

class AllKindsTest : public ::testing::Test {
protected:
  AllKindsTest() : Transport(k42::Badge{7, 1000, 100, 0}), X(Impl) {}

  StubAllKinds stubWith(k42::RightsMask Rights) {
    k42::Result<k42::ObjectHandle> Handle = Transport.exportObject(X, Rights);
    EXPECT_TRUE(Handle.isOk());
    k42::Result<StubAllKinds> Stub = StubAllKinds::bind(Transport, *Handle);
    EXPECT_TRUE(Stub.isOk());
    return *Stub;
  }

  k42::InProcTransport Transport;
  AllKindsImpl Impl;
  XAllKinds X;
};

TEST_F(AllKindsTest, Scalars) {
  StubAllKinds S = stubWith(MetaAllKinds::Rights::all);
  int64_t Sum = 0;
  bool NotF = true;
  Colour Same = Colour::Red;
  ASSERT_TRUE(S.scalars(-3, 65535, -100000, 1ull << 40, 2.75, true,
                        Colour::Blue, Sum, NotF, Same)
                  .isOk());
  EXPECT_EQ(Sum, -3 + 65535 - 100000 + (int64_t(1) << 40) + 2);
  EXPECT_FALSE(NotF);
  EXPECT_EQ(Same, Colour::Blue);

  int64_t Value = 21;
  ASSERT_TRUE(S.inoutScalar(Value).isOk());
  EXPECT_EQ(Value, -42);
}

TEST_F(AllKindsTest, TriviallyCopyableValuesArraysAndHandles) {
  StubAllKinds S = stubWith(MetaAllKinds::Rights::all);
  Extent Out{};
  ASSERT_TRUE(S.pod({100, 20, 0x01}, Out).isOk());
  EXPECT_EQ(Out.Offset, 120u);
  EXPECT_EQ(Out.Length, 40u);
  EXPECT_EQ(Out.Flags, 0x81);

  uint8_t Key[16], Reversed[16] = {};
  std::iota(Key, Key + 16, uint8_t(1));
  ASSERT_TRUE(S.key(Key, Reversed).isOk());
  for (int I = 0; I < 16; ++I)
    EXPECT_EQ(Reversed[I], 16 - I);

  k42::ObjectHandle H{0x1122334455667788ull, 9, 10}, Back;
  ASSERT_TRUE(S.handle(H, Back).isOk());
  EXPECT_EQ(Back, (k42::ObjectHandle{0x1122334455667789ull, 10, 11}));
}

TEST_F(AllKindsTest, Strings) {
  StubAllKinds S = stubWith(MetaAllKinds::Rights::all);
  std::string Joined;
  ASSERT_TRUE(S.strings("view", "ref", "value", Joined).isOk());
  EXPECT_EQ(Joined, "view|ref|value");
  ASSERT_TRUE(S.strings("", "", "", Joined).isOk());
  EXPECT_EQ(Joined, "||");
  std::string Embedded("a\0b", 3);
  ASSERT_TRUE(S.strings(Embedded, "", "", Joined).isOk());
  EXPECT_EQ(Joined, std::string("a\0b||", 5));

  std::string Text = "stressed";
  ASSERT_TRUE(S.inoutString(Text).isOk());
  EXPECT_EQ(Text, "desserts");
}

TEST_F(AllKindsTest, MaximumAndOversizedStrings) {
  StubAllKinds S = stubWith(MetaAllKinds::Rights::all);
  std::string Page(PageBytes, 'p');
  Page.front() = 'a';
  ASSERT_TRUE(S.inoutString(Page).isOk());
  EXPECT_EQ(Page.size(), PageBytes);
  EXPECT_EQ(Page.back(), 'a');

  std::string Max(MaxBytes, 'x');
  Max.front() = 'a';
  ASSERT_TRUE(S.inoutString(Max).isOk());
  EXPECT_EQ(Max.size(), MaxBytes);
  EXPECT_EQ(Max.back(), 'a');

  uint32_t Before = Impl.Calls;
  std::string TooLong(MaxBytes + 1, 'x');
  k42::Status Result = S.inoutString(TooLong);
  EXPECT_EQ(Result.errorCode(), k42::errc::TooBig);
  EXPECT_EQ(Impl.Calls, Before) << "an oversized request must not be sent";
  EXPECT_EQ(TooLong.size(), MaxBytes + 1) << "out parameters stay untouched";
}

TEST_F(AllKindsTest, Vectors) {
  StubAllKinds S = stubWith(MetaAllKinds::Rights::all);
  std::vector<uint32_t> Doubled{99};
  ASSERT_TRUE(S.vectors({1, 2, 3}, Doubled).isOk());
  EXPECT_EQ(Doubled, (std::vector<uint32_t>{2, 4, 6}));
  ASSERT_TRUE(S.vectors({}, Doubled).isOk());
  EXPECT_TRUE(Doubled.empty());

  std::vector<Extent> Items{{1, 1, 1}, {2, 2, 2}};
  ASSERT_TRUE(S.inoutVector(Items).isOk());
  ASSERT_EQ(Items.size(), 3u);
  EXPECT_EQ(Items[0].Length, 2u);
  EXPECT_EQ(Items[1].Length, 3u);
  EXPECT_EQ(Items[2].Offset, 7u);

  std::vector<uint32_t> Max(MaxBytes / 4, 1);
  ASSERT_TRUE(S.vectors(Max, Doubled).isOk());
  EXPECT_EQ(Doubled.size(), Max.size());
  std::vector<uint32_t> Over(MaxBytes / 4 + 1, 1);
  EXPECT_EQ(S.vectors(Over, Doubled).errorCode(), k42::errc::TooBig);
}

TEST_F(AllKindsTest, Spans) {
  StubAllKinds S = stubWith(MetaAllKinds::Rights::all);
  uint8_t Bytes[] = {1, 2, 3, 250};
  uint64_t Sum = 0;
  ASSERT_TRUE(S.spanIn(Bytes, Sum).isOk());
  EXPECT_EQ(Sum, 256u);
  ASSERT_TRUE(S.spanIn({}, Sum).isOk());
  EXPECT_EQ(Sum, 0u);
  EXPECT_EQ(Impl.LastSize, 0u);

  std::vector<uint8_t> Max(MaxBytes, 1);
  ASSERT_TRUE(S.spanIn(Max, Sum).isOk());
  EXPECT_EQ(Sum, MaxBytes);
  std::vector<uint8_t> Over(MaxBytes + 1, 1);
  uint32_t Before = Impl.Calls;
  EXPECT_EQ(S.spanIn(Over, Sum).errorCode(), k42::errc::TooBig);
  EXPECT_EQ(Impl.Calls, Before);

  uint16_t Fill[5] = {9, 9, 9, 9, 9};
  ASSERT_TRUE(S.spanOut(Fill).isOk());
  EXPECT_EQ(Impl.LastSize, 5u);
  for (int I = 0; I < 5; ++I)
    EXPECT_EQ(Fill[I], I * 3);
  ASSERT_TRUE(S.spanOut({}).isOk());
  EXPECT_EQ(Impl.LastSize, 0u);
  std::vector<uint16_t> MaxFill(MaxBytes / 2);
  ASSERT_TRUE(S.spanOut(MaxFill).isOk());
  EXPECT_EQ(MaxFill.back(), uint16_t((MaxFill.size() - 1) * 3));
  std::vector<uint16_t> OverFill(MaxBytes / 2 + 1, 9);
  Before = Impl.Calls;
  EXPECT_EQ(S.spanOut(OverFill).errorCode(), k42::errc::TooBig);
  EXPECT_EQ(Impl.Calls, Before);
  EXPECT_EQ(OverFill.front(), 9);

  int32_t Values[] = {1, -2, 3};
  ASSERT_TRUE(S.spanInOut(Values).isOk());
  EXPECT_EQ(Values[0], -1);
  EXPECT_EQ(Values[1], 2);
  EXPECT_EQ(Values[2], -3);
}

TEST_F(AllKindsTest, RawBuffers) {
  StubAllKinds S = stubWith(MetaAllKinds::Rights::all);
  uint32_t Data[] = {10, 20, 30};
  uint64_t Sum = 0;
  ASSERT_TRUE(S.rawIn(Data, 3, Sum).isOk());
  EXPECT_EQ(Sum, 60u);
  ASSERT_TRUE(S.rawIn(nullptr, 0, Sum).isOk());
  EXPECT_EQ(Sum, 0u);

  uint8_t Out[6] = {};
  ASSERT_TRUE(S.rawOut(6, Out).isOk());
  for (int I = 0; I < 6; ++I)
    EXPECT_EQ(Out[I], uint8_t(I ^ 0x5a));
  // The largest count a uint16_t holds: past the page, into the window.
  std::vector<uint8_t> Large(UINT16_MAX);
  ASSERT_TRUE(S.rawOut(UINT16_MAX, Large.data()).isOk());
  EXPECT_EQ(Large.back(), uint8_t((UINT16_MAX - 1) ^ 0x5a));

  std::vector<uint32_t> MaxIn(MaxBytes / 4, 2);
  ASSERT_TRUE(S.rawIn(MaxIn.data(), uint32_t(MaxIn.size()), Sum).isOk());
  EXPECT_EQ(Sum, MaxBytes / 2);
  std::vector<uint32_t> OverIn(MaxBytes / 4 + 1, 2);
  uint32_t Before = Impl.Calls;
  EXPECT_EQ(S.rawIn(OverIn.data(), uint32_t(OverIn.size()), Sum).errorCode(),
            k42::errc::TooBig);
  EXPECT_EQ(Impl.Calls, Before);

  int64_t InOut[] = {100, 100, 100};
  ASSERT_TRUE(S.rawInOut(InOut, 3).isOk());
  EXPECT_EQ(InOut[0], 100);
  EXPECT_EQ(InOut[1], 101);
  EXPECT_EQ(InOut[2], 102);
}

TEST_F(AllKindsTest, CallerBadgeComesFromTheTransportNotTheClient) {
  StubAllKinds S = stubWith(MetaAllKinds::Rights::all);
  k42::Badge Seen;
  uint32_t Tag = 0;
  ASSERT_TRUE(S.whoAmI(77, Seen, Tag).isOk());
  EXPECT_EQ(Seen, (k42::Badge{7, 1000, 100, 0}));
  EXPECT_EQ(Tag, 77u);
}

TEST_F(AllKindsTest, RightsAreCheckedBeforeTheImplementationRuns) {
  StubAllKinds Reader = stubWith(MetaAllKinds::Rights::read);
  uint32_t Before = Impl.Calls;
  EXPECT_EQ(Reader.wipe().errorCode(), k42::errc::PermissionDenied);
  EXPECT_FALSE(Impl.Wiped);
  EXPECT_EQ(Impl.Calls, Before);

  // A one-way call is delivered, but the X object drops it unexecuted.
  EXPECT_TRUE(Reader.post("hi", 1).isOk());
  EXPECT_TRUE(Impl.Posted.empty());
  EXPECT_EQ(Impl.Calls, Before);

  // K42_DEFAULT_REQUIRES(read) covers undecorated methods ...
  StubAllKinds Nobody = stubWith(0);
  int64_t Value = 1;
  EXPECT_EQ(Nobody.inoutScalar(Value).errorCode(),
            k42::errc::PermissionDenied);
  EXPECT_EQ(Value, 1);
  // ... and K42_REQUIRES() opts a method out.
  EXPECT_TRUE(Nobody.ping().isOk());

  StubAllKinds Admin = stubWith(MetaAllKinds::Rights::read |
                                MetaAllKinds::Rights::admin);
  EXPECT_TRUE(Admin.wipe().isOk());
  EXPECT_TRUE(Impl.Wiped);
}

TEST_F(AllKindsTest, OneWayConstOverloadsAndStatusValues) {
  StubAllKinds S = stubWith(MetaAllKinds::Rights::all);
  ASSERT_TRUE(S.post("note", 9).isOk());
  EXPECT_EQ(Impl.Posted, "note#9");

  uint32_t Calls = 0;
  ASSERT_TRUE(S.peek(Calls).isOk());
  EXPECT_EQ(Calls, Impl.Calls);

  ASSERT_TRUE(S.put(5u).isOk());
  EXPECT_EQ(Impl.Put, "u32:5");
  ASSERT_TRUE(S.put(std::string_view("five")).isOk());
  EXPECT_EQ(Impl.Put, "str:five");
  EXPECT_EQ(MetaAllKinds::Methods::put_00000100, 0x100u);
  EXPECT_EQ(MetaAllKinds::Methods::put_00000101, 0x101u);

  k42::Status Positive = S.positive(12345);
  ASSERT_TRUE(Positive.isOk());
  EXPECT_EQ(Positive.value(), 12345);
  EXPECT_EQ(S.positive(-1).errorCode(), EINVAL);
}

TEST_F(AllKindsTest, MetadataDescribesTheInterface) {
  EXPECT_STREQ(MetaAllKinds::Name, "alltest::AllKinds");
  EXPECT_EQ(MetaAllKinds::Version, 3u);
  EXPECT_EQ(MetaAllKinds::Rights::read, 1u);
  EXPECT_EQ(MetaAllKinds::Rights::write, 2u);
  EXPECT_EQ(MetaAllKinds::Rights::admin, 4u);
  EXPECT_EQ(MetaAllKinds::Rights::all, 7u);
  const k42::MethodInfo *Wipe =
      MetaAllKinds::Info.findMethod(MetaAllKinds::Methods::wipe);
  ASSERT_NE(Wipe, nullptr);
  EXPECT_STREQ(Wipe->Name, "wipe");
  EXPECT_EQ(Wipe->Required, MetaAllKinds::Rights::admin);
  const k42::MethodInfo *Post =
      MetaAllKinds::Info.findMethod(MetaAllKinds::Methods::post);
  ASSERT_NE(Post, nullptr);
  EXPECT_TRUE(Post->OneWay);
  EXPECT_EQ(MetaAllKinds::Info.findMethod(0xdeadbeef), nullptr);
  ASSERT_EQ(MetaAllKinds::Info.NumRights, 3u);
  EXPECT_STREQ(MetaAllKinds::Info.RightNames[2], "admin");
}

TEST_F(AllKindsTest, DerivedInterfacesInheritMethodsRightsAndCompatibility) {
  XMoreKinds MoreX(Impl);
  // Inherited rights come first; the derived interface's own follow.
  EXPECT_EQ(MetaMoreKinds::Rights::read, MetaAllKinds::Rights::read);
  EXPECT_EQ(MetaMoreKinds::Rights::extra, 8u);
  EXPECT_EQ(MetaMoreKinds::Methods::scalars, MetaAllKinds::Methods::scalars);
  EXPECT_NE(MetaMoreKinds::Fingerprint, MetaAllKinds::Fingerprint);
  EXPECT_TRUE(MetaMoreKinds::Info.isCompatibleWith(MetaAllKinds::Fingerprint));

  k42::Result<k42::ObjectHandle> More =
      Transport.exportObject(MoreX, MetaMoreKinds::Rights::all);
  ASSERT_TRUE(More.isOk());
  // A client of the base interface can use the derived object ...
  k42::Result<StubAllKinds> AsBase = StubAllKinds::bind(Transport, *More);
  ASSERT_TRUE(AsBase.isOk());
  int64_t Value = 2;
  ASSERT_TRUE(AsBase->inoutScalar(Value).isOk());
  EXPECT_EQ(Value, -4);
  k42::Result<StubMoreKinds> AsMore = StubMoreKinds::bind(Transport, *More);
  ASSERT_TRUE(AsMore.isOk());
  uint32_t V = 0;
  ASSERT_TRUE(AsMore->more(V).isOk());
  EXPECT_EQ(V, 4242u);

  // ... but not the other way round.
  k42::Result<k42::ObjectHandle> Base =
      Transport.exportObject(X, MetaAllKinds::Rights::all);
  ASSERT_TRUE(Base.isOk());
  k42::Result<StubMoreKinds> Wrong = StubMoreKinds::bind(Transport, *Base);
  ASSERT_FALSE(Wrong.isOk());
  EXPECT_EQ(Wrong.status().errorCode(), k42::errc::IncompatibleInterface);
}

/// An implementation that calls another object while it still holds views
/// into its own request page.
class NestingImpl : public AllKindsImpl {
public:
  NestingImpl(StubAllKinds &Inner) : Inner(Inner) {}
  k42::Status strings(std::string_view View, const std::string &Ref,
                      std::string Value, std::string &Joined) override {
    std::string InnerJoined;
    if (k42::Status S = Inner.strings("inner", "x", "y", InnerJoined); !S)
      return S;
    Joined = std::string(View) + "/" + InnerJoined;
    (void)Ref;
    (void)Value;
    return k42::Status::ok();
  }

private:
  StubAllKinds &Inner;
};

TEST_F(AllKindsTest, NestedCallsDoNotClobberTheOuterRequest) {
  StubAllKinds Inner = stubWith(MetaAllKinds::Rights::all);
  NestingImpl Outer(Inner);
  XAllKinds OuterX(Outer);
  k42::Result<k42::ObjectHandle> H =
      Transport.exportObject(OuterX, MetaAllKinds::Rights::all);
  ASSERT_TRUE(H.isOk());
  k42::Result<StubAllKinds> S = StubAllKinds::bind(Transport, *H);
  ASSERT_TRUE(S.isOk());
  std::string Joined;
  ASSERT_TRUE(S->strings("outer-view", "", "", Joined).isOk());
  EXPECT_EQ(Joined, "outer-view/inner|x|y");
}

TEST_F(AllKindsTest, StaleAndForgedHandlesNeverReachTheImplementation) {
  k42::Result<k42::ObjectHandle> H =
      Transport.exportObject(X, MetaAllKinds::Rights::all);
  ASSERT_TRUE(H.isOk());
  k42::Result<StubAllKinds> S = StubAllKinds::bind(Transport, *H);
  ASSERT_TRUE(S.isOk());
  ASSERT_TRUE(Transport.handles().revoke(*H).isOk());
  uint32_t Before = Impl.Calls;
  EXPECT_EQ(S->ping().errorCode(), k42::errc::StaleHandle);

  k42::ObjectHandle Forged = *H;
  Forged.Endpoint ^= 1;
  EXPECT_EQ(StubAllKinds::bind(Transport, Forged).status().errorCode(),
            k42::errc::BadHandle);
  Forged = *H;
  Forged.Index = 1u << 30;
  EXPECT_EQ(StubAllKinds::bind(Transport, Forged).status().errorCode(),
            k42::errc::BadHandle);
  EXPECT_EQ(Impl.Calls, Before);
}

} // namespace
