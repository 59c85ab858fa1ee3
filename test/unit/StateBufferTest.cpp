//===- test/unit/StateBufferTest.cpp - Hot-swap state buffers -------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include <k42/cobj/StateBuffer.h>

#include <gtest/gtest.h>

namespace {

TEST(StateBufferTest, RoundTripsEveryShape) {
  k42::StateBuffer Buffer;
  Buffer.put<uint32_t>(42);
  Buffer.putString("state");
  Buffer.putVector(std::vector<uint16_t>{1, 2, 3});
  uint32_t Number = 0;
  std::string Text;
  std::vector<uint16_t> Numbers;
  ASSERT_TRUE(Buffer.get(Number).isOk());
  ASSERT_TRUE(Buffer.getString(Text).isOk());
  ASSERT_TRUE(Buffer.getVector(Numbers).isOk());
  EXPECT_EQ(Number, 42u);
  EXPECT_EQ(Text, "state");
  EXPECT_EQ(Numbers, (std::vector<uint16_t>{1, 2, 3}));
  EXPECT_EQ(Buffer.remaining(), 0u);
}

TEST(StateBufferTest, ShortAndCorruptBuffersAreErrors) {
  k42::StateBuffer Buffer;
  Buffer.put<uint64_t>(1000); // A string length with no bytes behind it.
  std::string Text = "unchanged";
  EXPECT_EQ(Buffer.getString(Text).errorCode(), k42::errc::BadMessage);
  EXPECT_EQ(Text, "unchanged");

  Buffer.rewind();
  std::vector<uint64_t> Numbers;
  EXPECT_EQ(Buffer.getVector(Numbers).errorCode(), k42::errc::BadMessage);

  k42::StateBuffer Empty;
  uint32_t Number;
  EXPECT_EQ(Empty.get(Number).errorCode(), k42::errc::BadMessage);
}

} // namespace
