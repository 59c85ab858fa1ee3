//===- runtime/linux/GateLock.cpp - A lock for handler context ------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/GateLock.h"

#include "k42/personality/HostCall.h"

#include <ctime>

#include <linux/futex.h>
#include <sys/syscall.h>

using namespace k42::personality;

void GateLock::wait(std::atomic<uint32_t> &Word, uint32_t Expected,
                    long TimeoutNs) {
  timespec Limit{TimeoutNs / 1000000000, TimeoutNs % 1000000000};
  (void)hostCall(SYS_futex, reinterpret_cast<long>(&Word), FUTEX_WAIT, Expected,
                 TimeoutNs ? reinterpret_cast<long>(&Limit) : 0);
}

void GateLock::wake(std::atomic<uint32_t> &Word, int Count) {
  (void)hostCall(SYS_futex, reinterpret_cast<long>(&Word), FUTEX_WAKE, Count);
}

namespace {

/// A thread holding locks (by %fs base) and how many: a slot is taken at
/// a thread's first lock and given back when it holds none, so a thread
/// finds its own in a few probes. Only the thread itself changes its
/// Count. A process with more threads inside locked calls at once than
/// slots counts the rest not at all (their signals are not deferred).
struct Holder {
  std::atomic<uint64_t> Thread{0};
  uint32_t Count = 0;
};
constexpr size_t NumHolders = 64;
Holder Holders[NumHolders];

uint64_t fsBase() {
  uint64_t Base;
  asm volatile("rdfsbase %0" : "=r"(Base));
  return Base;
}

/// The calling thread's slot (made if \p Make), or null.
Holder *holderOf(uint64_t Me, bool Make) {
  size_t Start = size_t((Me >> 6) * 0x9e3779b97f4a7c15ull >> 58);
  for (size_t I = 0; I < NumHolders; ++I) {
    Holder &H = Holders[(Start + I) % NumHolders];
    uint64_t Thread = H.Thread.load(std::memory_order_relaxed);
    if (Thread == Me)
      return &H;
    if (Thread == 0 && Make &&
        H.Thread.compare_exchange_strong(Thread, Me, std::memory_order_relaxed))
      return &H;
  }
  return nullptr;
}

} // namespace

void GateLock::countHolders(void (*Hook)()) {
  AfterRelease = Hook;
  CountHolders = true;
}

uint64_t GateLock::thisThread() { return CountHolders ? fsBase() : 0; }

bool GateLock::heldByThisThread() {
  uint64_t Me = thisThread();
  return Me && holderOf(Me, false);
}

void GateLock::forgetHolders() {
  for (Holder &H : Holders)
    if (H.Thread.load(std::memory_order_relaxed)) {
      H.Count = 0;
      H.Thread.store(0, std::memory_order_relaxed);
    }
}

void GateLock::held() {
  if (uint64_t Me = thisThread())
    if (Holder *H = holderOf(Me, true))
      ++H->Count;
}

void GateLock::letGo() {
  uint64_t Me = thisThread();
  Holder *H = Me ? holderOf(Me, false) : nullptr;
  if (H && --H->Count == 0)
    H->Thread.store(0, std::memory_order_release);
}

bool GateLock::tryLock() {
  // Counted before it is taken: a signal that came between the taking
  // and the count would find the lock held but not counted as this
  // thread's, and a handler that wants it would wait for ever.
  held();
  uint32_t Free = 0;
  if (State.compare_exchange_strong(Free, 1, std::memory_order_acquire))
    return true;
  released();
  return false;
}

void GateLock::lock() {
  held(); // before it is taken, as in tryLock()
  for (int Spin = 0; Spin < 100; ++Spin) {
    uint32_t Free = 0;
    if (State.compare_exchange_strong(Free, 1, std::memory_order_acquire))
      return;
    __builtin_ia32_pause();
  }
  // Mark the lock contended, then sleep until it is handed over free.
  while (State.exchange(2, std::memory_order_acquire) != 0)
    wait(State, 2, 0);
}

void GateLock::unlock() {
  if (State.exchange(0, std::memory_order_release) == 2)
    wake(State, 1);
  released();
}

void GateLock::released() {
  letGo();
  if (Deferred.load(std::memory_order_relaxed) != 0 && AfterRelease)
    AfterRelease();
}
