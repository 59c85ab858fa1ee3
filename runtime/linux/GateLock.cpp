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

void GateLock::recordOwners(void (*Hook)()) {
  AfterRelease = Hook;
  OwnersRecorded = true;
}

bool GateLock::tryLock() {
  uint32_t Free = 0;
  if (!State.compare_exchange_strong(Free, 1, std::memory_order_acquire))
    return false;
  Owner = thisThread();
  return true;
}

void GateLock::lock() {
  for (int Spin = 0; Spin < 100; ++Spin) {
    if (tryLock())
      return;
    __builtin_ia32_pause();
  }
  // Mark the lock contended, then sleep until it is handed over free.
  while (State.exchange(2, std::memory_order_acquire) != 0)
    wait(State, 2, 0);
  Owner = thisThread();
}

void GateLock::unlock() {
  // Cleared first: a thread that takes the lock next is never taken for
  // its last holder.
  Owner = 0;
  if (State.exchange(0, std::memory_order_release) == 2)
    wake(State, 1);
  if (Deferred.load(std::memory_order_relaxed) != 0 && AfterRelease)
    AfterRelease();
}
