//===- runtime/lib/Quiescence.cpp - Deferred deletion ---------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/cobj/Quiescence.h"
#include "ThreadExit.h"

#include <linux/membarrier.h>
#include <mutex>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>
#include <vector>

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define K42_TSAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define K42_TSAN 1
#endif

namespace k42::cobj {
namespace {

struct Retired {
  void *Object;
  void (*Deleter)(void *);
  /// The epoch it was retired in.
  uint64_t Epoch;
};

/// The registered threads and the retired objects; writers only.
struct Registry {
  std::mutex Lock;
  QuiescenceRecord *Threads = nullptr;
  std::vector<Retired> Waiting;
};

Registry &registry() {
  static Registry *R = new Registry; // Outlives every thread's exit.
  return *R;
}

bool setUpMembarrier() {
#ifdef K42_TSAN
  // ThreadSanitizer does not see the barriers membarrier runs on other
  // threads' behalf; fence explicitly so it sees the orderings it checks.
  return false;
#else
  long Supported = syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
  if (Supported < 0 || !(Supported & MEMBARRIER_CMD_PRIVATE_EXPEDITED))
    return false;
  return syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED,
                 0, 0) == 0;
#endif
}

/// Retirements between automatic reclaims.
constexpr size_t ReclaimEvery = 64;

} // namespace

std::atomic<uint64_t> Quiescence::Global{1};
std::atomic<bool> Quiescence::Asymmetric{setUpMembarrier()};

void Quiescence::unregisterThread(void *Arg) {
  auto *Record = static_cast<QuiescenceRecord *>(Arg);
  Registry &R = registry();
  std::lock_guard<std::mutex> Guard(R.Lock);
  for (QuiescenceRecord **P = &R.Threads; *P; P = &(*P)->Next)
    if (*P == Record) {
      *P = Record->Next;
      break;
    }
  Record->Registered = false;
}

void Quiescence::registerThread(QuiescenceRecord &Record) {
  {
    Registry &R = registry();
    std::lock_guard<std::mutex> Guard(R.Lock);
    Record.Next = R.Threads;
    R.Threads = &Record;
    Record.Registered = true;
  }
  detail::atThreadExit(&unregisterThread, &Record);
}

bool Quiescence::asymmetric() { return Asymmetric.load(); }

void Quiescence::writerFence() {
  if (Asymmetric.load(std::memory_order_relaxed))
    syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0);
  else
    std::atomic_thread_fence(std::memory_order_seq_cst);
}

uint64_t Quiescence::oldestActive() {
  // Called with the registry locked, after writerFence(): every section
  // that began before the fence has its epoch visible here.
  uint64_t Oldest = UINT64_MAX;
  for (QuiescenceRecord *T = registry().Threads; T; T = T->Next) {
    uint64_t E = T->Epoch.load(std::memory_order_acquire);
    if (E != 0 && E < Oldest)
      Oldest = E;
  }
  return Oldest;
}

void Quiescence::retire(void *Object, void (*Deleter)(void *)) {
  Registry &R = registry();
  size_t Count;
  {
    std::lock_guard<std::mutex> Guard(R.Lock);
    // Sections that begin from now on record a later epoch and cannot
    // have seen the object (it was unlinked before this call).
    uint64_t Epoch = Global.fetch_add(1, std::memory_order_acq_rel);
    R.Waiting.push_back({Object, Deleter, Epoch});
    Count = R.Waiting.size();
  }
  if (Count % ReclaimEvery == 0)
    reclaim();
}

size_t Quiescence::reclaim() {
  Registry &R = registry();
  std::vector<Retired> Free;
  {
    std::lock_guard<std::mutex> Guard(R.Lock);
    if (R.Waiting.empty())
      return 0;
    writerFence();
    uint64_t Oldest = oldestActive();
    std::erase_if(R.Waiting, [&](const Retired &Item) {
      if (Item.Epoch >= Oldest)
        return false;
      Free.push_back(Item);
      return true;
    });
  }
  // Deleters run outside the lock: they may retire more.
  for (const Retired &Item : Free)
    Item.Deleter(Item.Object);
  return Free.size();
}

void Quiescence::synchronize() {
  uint64_t Target = Global.fetch_add(1, std::memory_order_acq_rel) + 1;
  for (;;) {
    {
      Registry &R = registry();
      std::lock_guard<std::mutex> Guard(R.Lock);
      writerFence();
      if (oldestActive() >= Target)
        break;
    }
    std::this_thread::yield();
  }
  reclaim();
}

size_t Quiescence::pending() {
  Registry &R = registry();
  std::lock_guard<std::mutex> Guard(R.Lock);
  return R.Waiting.size();
}

} // namespace k42::cobj
