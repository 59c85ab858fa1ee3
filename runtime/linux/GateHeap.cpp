//===- runtime/linux/GateHeap.cpp - Memory for handler context ------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/GateHeap.h"

#include "k42/personality/ForkLocks.h"
#include "k42/personality/GateLock.h"
#include "k42/personality/HostCall.h"

#include <atomic>
#include <cstdint>

#include <sys/mman.h>
#include <sys/syscall.h>

using namespace k42::personality;

namespace {

/// Every block starts with this word: its class, or LargeClass and the
/// mapping's size.
struct BlockHeader {
  uint64_t Class;
  uint64_t Bytes;
};
static_assert(sizeof(BlockHeader) == 16);

constexpr unsigned NumClasses = 11; // 64 B .. 64 KiB
constexpr uint64_t LargeClass = ~uint64_t(0);
constexpr size_t ChunkBytes = 256 * 1024;

struct FreeBlock {
  FreeBlock *Next;
};

GateLock Lock;
K42_HELD_ACROSS_FORK(Lock);
FreeBlock *FreeLists[NumClasses];
char *ChunkNext = nullptr;
char *ChunkEnd = nullptr;
std::atomic<size_t> Mapped{0};

size_t classBytes(unsigned Class) { return size_t(64) << Class; }

void *mapPages(size_t Bytes) {
  long At = hostCall(SYS_mmap, 0, long(Bytes), PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (isError(At))
    return nullptr;
  Mapped.fetch_add(Bytes, std::memory_order_relaxed);
  return reinterpret_cast<void *>(At);
}

} // namespace

void *GateHeap::allocate(size_t Bytes) {
  size_t Need = Bytes + sizeof(BlockHeader);
  unsigned Class = 0;
  while (Class < NumClasses && classBytes(Class) < Need)
    ++Class;
  if (Class == NumClasses) {
    size_t Whole = (Need + 4095) & ~size_t(4095);
    auto *H = static_cast<BlockHeader *>(mapPages(Whole));
    if (!H)
      return nullptr;
    *H = {LargeClass, Whole};
    return H + 1;
  }
  GateLockGuard Guard(Lock);
  BlockHeader *H;
  if (FreeBlock *F = FreeLists[Class]) {
    FreeLists[Class] = F->Next;
    H = reinterpret_cast<BlockHeader *>(F);
  } else {
    size_t Size = classBytes(Class);
    if (size_t(ChunkEnd - ChunkNext) < Size) {
      auto *Chunk = static_cast<char *>(mapPages(ChunkBytes));
      if (!Chunk)
        return nullptr;
      // The rest of the old chunk is simply left; chunks are small.
      ChunkNext = Chunk;
      ChunkEnd = Chunk + ChunkBytes;
    }
    H = reinterpret_cast<BlockHeader *>(ChunkNext);
    ChunkNext += Size;
  }
  *H = {Class, Bytes};
  return H + 1;
}

void GateHeap::release(void *Block) {
  if (!Block)
    return;
  BlockHeader *H = static_cast<BlockHeader *>(Block) - 1;
  if (H->Class == LargeClass) {
    size_t Whole = H->Bytes;
    (void)hostCall(SYS_munmap, reinterpret_cast<long>(H), long(Whole));
    Mapped.fetch_sub(Whole, std::memory_order_relaxed);
    return;
  }
  if (H->Class >= NumClasses)
    return; // Not one of ours: a bug, but never a corrupted free list.
  unsigned Class = unsigned(H->Class);
  GateLockGuard Guard(Lock);
  auto *F = reinterpret_cast<FreeBlock *>(H);
  F->Next = FreeLists[Class];
  FreeLists[Class] = F;
}

size_t GateHeap::mappedBytes() {
  return Mapped.load(std::memory_order_relaxed);
}
