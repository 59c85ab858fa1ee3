//===- test/unit/StatusTest.cpp - Status values ---------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include <k42/ipc/Result.h>
#include <k42/ipc/Status.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdint>

namespace {

TEST(StatusTest, OkCarriesAValueAndErrorsAnErrno) {
  k42::Status Ok = k42::Status::ok(17);
  EXPECT_TRUE(Ok.isOk());
  EXPECT_EQ(Ok.value(), 17);
  EXPECT_EQ(Ok.errorCode(), 0);
  k42::Status Denied = k42::Status::error(k42::errc::PermissionDenied);
  EXPECT_FALSE(Denied.isOk());
  EXPECT_EQ(Denied.errorCode(), EPERM);
  EXPECT_EQ(Denied.value(), 0);
  EXPECT_EQ(k42::Status::fromRaw(Denied.raw()), Denied);
}

TEST(StatusTest, MessagesAreStable) {
  EXPECT_EQ(k42::Status::ok().message(), "ok");
  EXPECT_EQ(k42::Status::error(k42::errc::PermissionDenied).message(),
            "permission denied");
  EXPECT_EQ(k42::Status::error(k42::errc::StaleHandle).message(),
            "stale handle");
  EXPECT_EQ(k42::Status::error(k42::errc::BadHandle).message(), "bad handle");
  EXPECT_EQ(k42::Status::error(k42::errc::BadMessage).message(),
            "malformed message");
  EXPECT_EQ(k42::Status::error(k42::errc::TooBig).message(),
            "message too big");
  EXPECT_EQ(k42::Status::error(EINVAL).message(), "invalid argument");
  EXPECT_EQ(k42::Status::error(12345).message(), "error");
}

TEST(StatusTest, ResultHoldsAValueOrAnError) {
  k42::Result<int> Value = 5;
  ASSERT_TRUE(Value.isOk());
  EXPECT_EQ(*Value, 5);
  k42::Result<int> Error = k42::Status::error(ENOENT);
  ASSERT_FALSE(Error.isOk());
  EXPECT_EQ(Error.status().errorCode(), ENOENT);
}

TEST(StatusTest, RawValuesFromAnotherProcessNeverOverflow) {
  // A reply's status is whatever the other side wrote.
  EXPECT_EQ(k42::Status::fromRaw(INT64_MIN).errorCode(), EPROTO);
  EXPECT_EQ(k42::Status::fromRaw(-5000).errorCode(), EPROTO);
  EXPECT_EQ(k42::Status::fromRaw(-4095).errorCode(), 4095);
  EXPECT_EQ(k42::Status::fromRaw(-EPERM).errorCode(), EPERM);
  EXPECT_FALSE(k42::Status::fromRaw(INT64_MIN).isOk());
}

} // namespace
