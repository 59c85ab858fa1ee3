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

void futexWake(std::atomic<uint32_t> &Word, int Count) {
  syscall(SYS_futex, reinterpret_cast<uint32_t *>(&Word), FUTEX_WAKE, Count,
          nullptr, nullptr, 0);
}

} // namespace k42::detail
