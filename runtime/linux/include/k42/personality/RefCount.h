//===- k42/personality/RefCount.h - Counts for calls in use ----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The reference counts of descriptors' files and pipe ends, which every
/// call on a K42 descriptor takes and drops (HeldFile, HeldPipe). Once the
/// process has a second thread in its memory they are locked atomics.
/// Until then the only code that can run between a count's load and its
/// store is a signal handler on the same thread, against which a single
/// instruction is atomic without the bus lock: a compare-and-swap and an
/// exchange-and-add that cost a few cycles where the locked ones cost
/// twenty, on the single-threaded read path (a cached 4 KiB pread is
/// about 45 ns). x86-64 only, as the personality is.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_REFCOUNT_H
#define K42_PERSONALITY_REFCOUNT_H

#include <cstdint>

namespace k42::personality {

/// Operations on a uint32_t reference count, cheap while single-threaded.
class RefCount {
public:
  /// Whether a second thread may run in this memory (or may have: never
  /// undone, and inherited by fork children).
  static bool threaded() {
    return __atomic_load_n(&Threaded, __ATOMIC_RELAXED);
  }
  /// Before a clone that starts another thread in this memory (CLONE_VM,
  /// not a vfork, whose child runs while its parent waits): every count
  /// is locked from now on. The new thread starts after the store.
  static void threadStarting() {
    __atomic_store_n(&Threaded, true, __ATOMIC_SEQ_CST);
  }

  /// One more reference to an object known to be alive.
  static void retain(uint32_t &Count) {
    if (threaded())
      __atomic_add_fetch(&Count, 1, __ATOMIC_RELAXED);
    else
      (void)addOne(Count, 1);
  }
  /// One more reference if \p Count is not zero (the object is alive);
  /// whether it took one.
  static bool retainLive(uint32_t &Count) {
    uint32_t Seen = __atomic_load_n(&Count, __ATOMIC_RELAXED);
    if (!threaded()) {
      while (Seen != 0)
        if (swapOne(Count, Seen, Seen + 1))
          return true;
      return false;
    }
    while (Seen != 0)
      if (__atomic_compare_exchange_n(&Count, &Seen, Seen + 1, true,
                                      __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
        return true;
    return false;
  }
  /// One reference less; true when it was the last.
  static bool release(uint32_t &Count) {
    if (threaded())
      return __atomic_sub_fetch(&Count, 1, __ATOMIC_ACQ_REL) == 0;
    return addOne(Count, uint32_t(-1)) == 1;
  }

private:
  /// Compare-and-swap in one instruction without the bus lock; \p Seen
  /// becomes what was there when it failed.
  static bool swapOne(uint32_t &Count, uint32_t &Seen, uint32_t Want) {
    bool Done;
    asm volatile("cmpxchgl %3, %1"
                 : "=@ccz"(Done), "+m"(Count), "+a"(Seen)
                 : "r"(Want)
                 : "memory");
    return Done;
  }
  /// Exchange-and-add in one instruction without the bus lock: the count
  /// before.
  static uint32_t addOne(uint32_t &Count, uint32_t Delta) {
    asm volatile("xaddl %0, %1" : "+r"(Delta), "+m"(Count) : : "memory");
    return Delta;
  }

  static inline bool Threaded = false;
};

} // namespace k42::personality

#endif // K42_PERSONALITY_REFCOUNT_H
