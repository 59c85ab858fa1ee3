//===- runtime/lib/Futex.h - Futex wait and wake ----------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The two futex operations PPC channels use. The words live in shared
/// memory mapped by two processes, so these are the shared (not PRIVATE)
/// futex operations.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_LIB_FUTEX_H
#define K42_RUNTIME_LIB_FUTEX_H

#include <atomic>
#include <cstdint>

namespace k42::detail {

/// Sleeps while \p Word holds \p Expected, at most \p TimeoutNs nanoseconds
/// (0: no limit). Returns false on timeout.
bool futexWait(std::atomic<uint32_t> &Word, uint32_t Expected,
               uint64_t TimeoutNs = 0);

/// Tells the CPU this thread is spinning (x86's pause), so a spin-wait costs
/// the sibling hardware thread less and ends promptly.
inline void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

/// One word futexWaitAny() sleeps on, and the value it sleeps while.
struct FutexWatch {
  std::atomic<uint32_t> *Word;
  uint32_t Expected;
  /// Whether only this process maps the word (a cheaper futex).
  bool Private;
};

/// The most words one futexWaitAny() watches (the host's FUTEX_WAITV_MAX).
constexpr unsigned MaxWatches = 128;

/// Sleeps until one of the first \p Count (at most MaxWatches) words of
/// \p Watches no longer holds its value or is woken, at most \p TimeoutNs
/// nanoseconds (0: no limit). One thread waiting for requests on many
/// channels at once (ServerPool). False on timeout.
bool futexWaitAny(const FutexWatch *Watches, unsigned Count,
                  uint64_t TimeoutNs = 0);

/// Wakes up to \p Count sleepers on \p Word.
void futexWake(std::atomic<uint32_t> &Word, int Count = 1);

} // namespace k42::detail

#endif // K42_RUNTIME_LIB_FUTEX_H
