//===- test/unit/GateHeapTest.cpp - The personality's allocator -----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/GateHeap.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <set>
#include <thread>
#include <vector>

using namespace k42::personality;

namespace {

TEST(GateHeapTest, BlocksAreAlignedDistinctAndWritable) {
  std::vector<void *> Blocks;
  for (size_t Size : {1u, 16u, 48u, 100u, 4000u, 9000u, 65000u, 200000u}) {
    void *B = GateHeap::allocate(Size);
    ASSERT_NE(B, nullptr) << Size;
    EXPECT_EQ(reinterpret_cast<uintptr_t>(B) % 16, 0u) << Size;
    std::memset(B, 0xab, Size);
    Blocks.push_back(B);
  }
  EXPECT_EQ(std::set<void *>(Blocks.begin(), Blocks.end()).size(),
            Blocks.size());
  for (void *B : Blocks)
    GateHeap::release(B);
  GateHeap::release(nullptr);
}

TEST(GateHeapTest, FreedBlocksAreReusedAndLargeOnesUnmapped) {
  void *A = GateHeap::allocate(200);
  GateHeap::release(A);
  EXPECT_EQ(GateHeap::allocate(200), A);
  GateHeap::release(A);
  size_t Before = GateHeap::mappedBytes();
  void *Large = GateHeap::allocate(1 << 20);
  ASSERT_NE(Large, nullptr);
  EXPECT_GE(GateHeap::mappedBytes(), Before + (1 << 20));
  GateHeap::release(Large);
  EXPECT_EQ(GateHeap::mappedBytes(), Before);
}

TEST(GateHeapTest, ThreadsAllocateAtOnce) {
  std::vector<std::thread> Threads;
  std::atomic<int> Bad{0};
  for (int T = 0; T < 4; ++T)
    Threads.emplace_back([&, T] {
      std::vector<unsigned char *> Mine;
      for (int I = 0; I < 2000; ++I) {
        auto *B =
            static_cast<unsigned char *>(GateHeap::allocate(64 + I % 300));
        if (!B) {
          ++Bad;
          continue;
        }
        B[0] = static_cast<unsigned char>(T);
        Mine.push_back(B);
      }
      for (unsigned char *B : Mine) {
        if (B[0] != T)
          ++Bad;
        GateHeap::release(B);
      }
    });
  for (std::thread &T : Threads)
    T.join();
  EXPECT_EQ(Bad.load(), 0);
}

} // namespace
