//===- test/unit/HostileMessageTest.cpp - Forged requests -----------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A hostile client does not use the stub: it writes whatever it likes into
/// its request page. These tests hand such pages straight to the generated
/// X object and check that each gets a clear error, that the implementation
/// never runs on bad input, and that the object keeps working afterwards.
///
//===----------------------------------------------------------------------===//

#include "AllKinds.k42.h"
#include "AllKindsImpl.h"

#include <k42/ipc/PPCWriter.h>

#include <gtest/gtest.h>

#include <memory>

using namespace alltest;

namespace {

class HostileMessageTest : public ::testing::Test {
protected:
  HostileMessageTest()
      : X(Impl), Buffers(std::make_unique<k42::CallBuffers>()) {
    Context.Caller = {3, 0, 0, 0};
    Context.Rights = MetaAllKinds::Rights::all;
  }

  /// Starts a request for \p Method with the right fingerprint.
  k42::PPCPage &request(uint32_t Method) {
    k42::PPCPage &Request = Buffers->Request;
    Request.MethodId = Method;
    Request.Fingerprint = MetaAllKinds::Fingerprint;
    Request.Length = 0;
    return Request;
  }

  int dispatch() {
    Buffers->Reply.Length = 0xdead;
    X.dispatch(Context, Buffers->Request, Buffers->Reply);
    return k42::Status::fromRaw(Buffers->Reply.Status).errorCode();
  }

  AllKindsImpl Impl;
  XAllKinds X;
  k42::CallContext Context;
  std::unique_ptr<k42::CallBuffers> Buffers;
};

TEST_F(HostileMessageTest, UnknownMethodsAndForeignInterfaces) {
  request(0x12345678);
  EXPECT_EQ(dispatch(), k42::errc::NoSuchMethod);
  request(MetaAllKinds::Methods::ping).Fingerprint ^= 1;
  EXPECT_EQ(dispatch(), k42::errc::IncompatibleInterface);
  EXPECT_EQ(Buffers->Reply.Length, 0u);
  EXPECT_EQ(Impl.Calls, 0u);
}

TEST_F(HostileMessageTest, LengthsThatLie) {
  k42::PPCPage &Page = request(MetaAllKinds::Methods::inoutScalar);
  Page.Length = k42::PPCPage::PayloadCapacity + 100;
  EXPECT_EQ(dispatch(), k42::errc::BadMessage);

  // Truncated: an int64 needs 8 bytes.
  request(MetaAllKinds::Methods::inoutScalar).Length = 4;
  EXPECT_EQ(dispatch(), k42::errc::BadMessage);

  // Trailing bytes are as suspicious as missing ones.
  k42::PPCWriter Out(request(MetaAllKinds::Methods::inoutScalar));
  Out.put<int64_t>(1);
  Out.put<int64_t>(2);
  ASSERT_TRUE(Out.finish().isOk());
  EXPECT_EQ(dispatch(), k42::errc::BadMessage);
  EXPECT_EQ(Impl.Calls, 0u);
}

TEST_F(HostileMessageTest, ArrayCountsThatLie) {
  // A string claiming more bytes than the page holds.
  k42::PPCWriter Out(request(MetaAllKinds::Methods::inoutString));
  Out.put<uint32_t>(0xffffffff);
  ASSERT_TRUE(Out.finish().isOk());
  EXPECT_EQ(dispatch(), k42::errc::BadMessage);

  // A raw buffer whose count disagrees with its length parameter.
  k42::PPCWriter Raw(request(MetaAllKinds::Methods::rawIn));
  const uint32_t Three[] = {1, 2, 3};
  Raw.putArray(Three, 3, 4);
  Raw.put<uint32_t>(4);
  ASSERT_TRUE(Raw.finish().isOk());
  EXPECT_EQ(dispatch(), k42::errc::BadMessage);

  // An out-span capacity no reply could hold.
  k42::PPCWriter Span(request(MetaAllKinds::Methods::spanOut));
  Span.put<uint32_t>(1u << 30);
  ASSERT_TRUE(Span.finish().isOk());
  EXPECT_EQ(dispatch(), k42::errc::BadMessage);

  // A raw out-buffer count the reply cannot hold.
  k42::PPCWriter RawOut(request(MetaAllKinds::Methods::rawOut));
  RawOut.put<uint16_t>(65535);
  ASSERT_TRUE(RawOut.finish().isOk());
  EXPECT_EQ(dispatch(), k42::errc::TooBig);
  EXPECT_EQ(Impl.Calls, 0u);
}

TEST_F(HostileMessageTest, ValuesOutsideTheirType) {
  k42::PPCWriter Out(request(MetaAllKinds::Methods::scalars));
  Out.put<int8_t>(1);
  Out.put<uint16_t>(2);
  Out.put<int32_t>(3);
  Out.put<uint64_t>(4);
  Out.put<double>(5);
  Out.put<uint8_t>(7); // Not a bool.
  Out.put<uint16_t>(1);
  ASSERT_TRUE(Out.finish().isOk());
  EXPECT_EQ(dispatch(), k42::errc::BadMessage);
  EXPECT_EQ(Impl.Calls, 0u);
}

TEST_F(HostileMessageTest, RightsAreCheckedBeforeTheRequestIsRead) {
  Context.Rights = MetaAllKinds::Rights::read;
  request(MetaAllKinds::Methods::wipe).Length = 12345; // Garbage too.
  EXPECT_EQ(dispatch(), k42::errc::PermissionDenied);
  EXPECT_FALSE(Impl.Wiped);
}

TEST_F(HostileMessageTest, TheObjectStillWorksAfterwards) {
  request(MetaAllKinds::Methods::inoutScalar).Length = 3;
  EXPECT_EQ(dispatch(), k42::errc::BadMessage);
  k42::PPCWriter Out(request(MetaAllKinds::Methods::inoutScalar));
  Out.put<int64_t>(5);
  ASSERT_TRUE(Out.finish().isOk());
  EXPECT_EQ(dispatch(), 0);
  EXPECT_EQ(Impl.Calls, 1u);
  EXPECT_EQ(Buffers->Reply.Length, 8u);
}

} // namespace
