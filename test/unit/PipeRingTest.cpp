//===- test/unit/PipeRingTest.cpp - A pipe's shared buffer ----------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/PipeRing.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <string>

#include <sys/mman.h>

using namespace k42::personality;

namespace {

long copy(void *To, const void *From, size_t Length) {
  std::memcpy(To, From, Length);
  return 0;
}
long fail(void *, const void *, size_t) { return -EFAULT; }

/// A ring in fresh zeroed memory, as a new memfd's pages are.
class PipeRingTest : public ::testing::Test {
protected:
  void SetUp() override {
    void *At = mmap(nullptr, PipeRing::Bytes, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_NE(At, MAP_FAILED);
    R = static_cast<PipeRing *>(At);
    R->init();
  }
  void TearDown() override { munmap(R, PipeRing::Bytes); }

  std::string take(size_t N) {
    std::string Out(N, '\0');
    EXPECT_EQ(R->get(Out.data(), N, copy), 0);
    return Out;
  }

  PipeRing *R = nullptr;
};

TEST_F(PipeRingTest, StartsEmptyWithLinuxCapacity) {
  EXPECT_EQ(R->Capacity, 65536u);
  EXPECT_EQ(R->used(), 0u);
  EXPECT_EQ(R->space(), 65536u);
  EXPECT_EQ(R->Magic, PipeRing::MagicValue);
}

TEST_F(PipeRingTest, AWriteOfPipeBufGoesInWholeOrWaits) {
  std::string Fill(R->Capacity - 100, 'x');
  ASSERT_EQ(R->put(Fill.data(), Fill.size(), copy), 0);
  // 100 bytes of room: a 4096-byte write waits, a 100-byte one fits.
  EXPECT_EQ(R->fits(PipeRing::AtomicMax, 0), 0u);
  EXPECT_EQ(R->fits(100, 0), 100u);
  EXPECT_EQ(R->fits(101, 0), 0u);
  // A larger write goes in as room comes.
  EXPECT_EQ(R->fits(PipeRing::AtomicMax + 1, 0), 100u);
  EXPECT_EQ(R->fits(PipeRing::AtomicMax + 1, PipeRing::AtomicMax - 10), 11u);
}

TEST_F(PipeRingTest, BytesComeOutInOrder) {
  ASSERT_EQ(R->put("hello ", 6, copy), 0);
  ASSERT_EQ(R->put("pipe", 4, copy), 0);
  EXPECT_EQ(R->used(), 10u);
  EXPECT_EQ(take(3), "hel");
  EXPECT_EQ(take(7), "lo pipe");
  EXPECT_EQ(R->used(), 0u);
}

TEST_F(PipeRingTest, WrapsAroundTheEnd) {
  std::string Fill(65530, 'x');
  ASSERT_EQ(R->put(Fill.data(), Fill.size(), copy), 0);
  EXPECT_EQ(take(65530), Fill);
  // Head and Tail are at 65530: this piece crosses the end.
  std::string Piece = "0123456789abcdef";
  ASSERT_EQ(R->put(Piece.data(), Piece.size(), copy), 0);
  EXPECT_EQ(std::memcmp(R->data() + 65530, "012345", 6), 0);
  EXPECT_EQ(std::memcmp(R->data(), "6789abcdef", 10), 0);
  EXPECT_EQ(take(16), Piece);
}

TEST_F(PipeRingTest, FullRingHasNoSpace) {
  std::string Fill(65536, 'y');
  ASSERT_EQ(R->put(Fill.data(), Fill.size(), copy), 0);
  EXPECT_EQ(R->space(), 0u);
  EXPECT_EQ(take(1), "y");
  EXPECT_EQ(R->space(), 1u);
}

TEST_F(PipeRingTest, FailedCopyIsReported) {
  EXPECT_EQ(R->put("abc", 3, fail), -EFAULT);
  ASSERT_EQ(R->put("abc", 3, copy), 0);
  char Out[3];
  EXPECT_EQ(R->get(Out, 3, fail), -EFAULT);
  EXPECT_EQ(R->used(), 3u); // nothing was taken
}

TEST_F(PipeRingTest, ResizeKeepsHeldBytesInOrder) {
  std::string Fill(65000, 'z');
  ASSERT_EQ(R->put(Fill.data(), Fill.size(), copy), 0);
  EXPECT_EQ(take(65000), Fill);
  ASSERT_EQ(R->put("wrapped!", 8, copy), 0); // crosses the end
  EXPECT_EQ(R->resize(1000), 4096);          // rounded up to a page
  EXPECT_EQ(R->Capacity, 4096u);
  EXPECT_EQ(take(8), "wrapped!");
  EXPECT_EQ(R->resize(100000), 131072); // a power of two
  EXPECT_EQ(R->resize(PipeRing::MaxCapacity + 1), -EINVAL);
}

TEST_F(PipeRingTest, ResizeBelowHeldBytesIsBusy) {
  std::string Fill(10000, 'b');
  ASSERT_EQ(R->put(Fill.data(), Fill.size(), copy), 0);
  EXPECT_EQ(R->resize(4096), -EBUSY);
  EXPECT_EQ(R->Capacity, 65536u);
  EXPECT_EQ(take(10000), Fill);
}

} // namespace
