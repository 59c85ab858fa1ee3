//===- runtime/linux/GateLock.cpp - A lock for handler context ------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/GateLock.h"

#include "k42/personality/HostCall.h"
#include "k42/personality/HostFolder.h"
#include "k42/personality/ProcNames.h"

#include <cerrno>
#include <cstring>
#include <ctime>

#include <linux/futex.h>
#include <sys/syscall.h>

using namespace k42::personality;

long GateLock::wait(std::atomic<uint32_t> &Word, uint32_t Expected,
                    long TimeoutNs) {
  timespec Limit{TimeoutNs / 1000000000, TimeoutNs % 1000000000};
  return hostCall(SYS_futex, reinterpret_cast<long>(&Word), FUTEX_WAIT,
                  Expected, TimeoutNs ? reinterpret_cast<long>(&Limit) : 0);
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

void GateLock::recordHolders(int32_t Pid) {
  // This image's number, drawn once (a fork child's copy of the memory
  // keeps it; its pid tells it apart): the time-stamp counter's low bits
  // at its first record, never 0. Two images of one process drawing the
  // same would need the same count 2^32 cycles apart, at least a second.
  static uint32_t Image = 0;
  while (Image == 0)
    Image = uint32_t(__builtin_ia32_rdtsc());
  recordHoldersAs(Pid, Image);
}

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
  if (State.compare_exchange_strong(Free, 1, std::memory_order_acquire)) {
    HeldBy.store(Self.load(std::memory_order_relaxed),
                 std::memory_order_relaxed);
    return true;
  }
  released();
  return false;
}

void GateLock::lock() {
  held(); // before it is taken, as in tryLock()
  uint64_t Me = Self.load(std::memory_order_relaxed);
  for (int Spin = 0; Spin < 100; ++Spin) {
    uint32_t Free = 0;
    if (State.compare_exchange_strong(Free, 1, std::memory_order_acquire)) {
      HeldBy.store(Me, std::memory_order_relaxed);
      return;
    }
    __builtin_ia32_pause();
  }
  // Mark the lock contended, then sleep until it is handed over free;
  // every HolderCheckNs, see whether its holder is gone.
  while (State.exchange(2, std::memory_order_acquire) != 0) {
    long Slept = wait(State, 2, Me ? HolderCheckNs : 0);
    // Only a whole check's wait with no word from the holder asks after
    // it (a wake-up is a holder letting go).
    if (Slept != -ETIMEDOUT)
      continue;
    uint64_t Seen = HeldBy.load(std::memory_order_relaxed);
    if (Seen && Seen != Me && State.load(std::memory_order_relaxed) &&
        takeOverFrom(Seen))
      return;
  }
  HeldBy.store(Me, std::memory_order_relaxed);
}

void GateLock::unlock() {
  HeldBy.store(0, std::memory_order_relaxed);
  if (State.exchange(0, std::memory_order_release) == 2)
    wake(State, 1);
  released();
}

bool GateLock::takeOverFrom(uint64_t Seen) {
  uint64_t Me = Self.load(std::memory_order_relaxed);
  int32_t Pid = pidOf(Seen);
  // This process's pid in another image's word: a thread of the image an
  // exec replaced, which the host ended wherever it was.
  bool Gone = Pid == pidOf(Me) || hostCall(SYS_kill, Pid, 0) == -ESRCH;
  if (!Gone) {
    // A zombie keeps its pid until it is reaped (perhaps by this very
    // waiter, after the wait): its state in /proc/<pid>/stat says it is
    // dead. "<pid> (<name>) <state> ...": the state after the last ')'.
    char Path[48] = "/proc/";
    std::memcpy(putDecimal(Path + 6, uint64_t(Pid)), "/stat", 6);
    char Text[512];
    long Got = readHostFile(Path, Text, sizeof(Text) - 1);
    if (Got > 0) {
      Text[Got] = 0;
      const char *Close = std::strrchr(Text, ')');
      Gone = Close && Close[1] == ' ' && (Close[2] == 'Z' || Close[2] == 'X');
    }
  }
  // One waiter takes it over (the holder word moves from the dead pid to
  // this process's); the others go on waiting, for it.
  if (!Gone ||
      !HeldBy.compare_exchange_strong(Seen, Me, std::memory_order_acq_rel))
    return false;
  State.store(2, std::memory_order_acquire);
  return true;
}

void GateLock::releaseIfHeldBy(int32_t Pid) {
  if (Pid == 0 || State.load(std::memory_order_acquire) == 0 ||
      pidOf(HeldBy.load(std::memory_order_relaxed)) != Pid)
    return;
  HeldBy.store(0, std::memory_order_relaxed);
  if (State.exchange(0, std::memory_order_release) == 2)
    wake(State, 1);
}

void GateLock::released() {
  letGo();
  if (Deferred.load(std::memory_order_relaxed) != 0 && AfterRelease)
    AfterRelease();
}
