//===- runtime/lib/Futex.cpp - Futex wait and wake ------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "Futex.h"

#include <cerrno>
#include <ctime>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace k42::detail {

static_assert(sizeof(std::atomic<uint32_t>) == sizeof(uint32_t) &&
                  std::atomic<uint32_t>::is_always_lock_free,
              "futex words must be plain 32-bit words");

bool futexWait(std::atomic<uint32_t> &Word, uint32_t Expected,
               uint64_t TimeoutNs) {
  timespec Timeout{};
  timespec *Limit = nullptr;
  if (TimeoutNs) {
    Timeout.tv_sec = time_t(TimeoutNs / 1000000000u);
    Timeout.tv_nsec = long(TimeoutNs % 1000000000u);
    Limit = &Timeout;
  }
  long Result = syscall(SYS_futex, reinterpret_cast<uint32_t *>(&Word),
                        FUTEX_WAIT, Expected, Limit, nullptr, 0);
  return !(Result == -1 && errno == ETIMEDOUT);
}

bool futexWaitAny(const FutexWatch *Watches, unsigned Count,
                  uint64_t TimeoutNs) {
  futex_waitv Waits[MaxWatches] = {};
  if (Count > MaxWatches)
    Count = MaxWatches;
  for (unsigned I = 0; I < Count; ++I) {
    Waits[I].val = Watches[I].Expected;
    Waits[I].uaddr = reinterpret_cast<uintptr_t>(Watches[I].Word);
    Waits[I].flags = FUTEX_32 | (Watches[I].Private ? FUTEX_PRIVATE_FLAG : 0);
  }
  // futex_waitv's limit is absolute, on the clock named.
  timespec Limit{};
  timespec *At = nullptr;
  if (TimeoutNs) {
    clock_gettime(CLOCK_MONOTONIC, &Limit);
    uint64_t Ns = uint64_t(Limit.tv_nsec) + TimeoutNs;
    Limit.tv_sec += time_t(Ns / 1000000000u);
    Limit.tv_nsec = long(Ns % 1000000000u);
    At = &Limit;
  }
  long Result = syscall(SYS_futex_waitv, Waits, Count, 0, At, CLOCK_MONOTONIC);
  return !(Result == -1 && errno == ETIMEDOUT);
}

void futexWake(std::atomic<uint32_t> &Word, int Count) {
  syscall(SYS_futex, reinterpret_cast<uint32_t *>(&Word), FUTEX_WAKE, Count,
          nullptr, nullptr, 0);
}

} // namespace k42::detail
