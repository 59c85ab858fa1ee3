//===- k42/personality/GateLock.h - A lock for handler context -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The personality's lock. Handlers run inside a SIGSYS handler, under
/// programs that own %fs, so neither pthread mutexes nor anything of libc
/// may be used; this is a word, spun on briefly and then slept on with a
/// futex issued from the gate.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_GATELOCK_H
#define K42_PERSONALITY_GATELOCK_H

#include <atomic>
#include <cstdint>

namespace k42::personality {

/// A futex lock (0 free, 1 held, 2 held with sleepers). Not recursive: a
/// handler never re-enters the personality while it holds one.
class GateLock {
public:
  void lock();
  void unlock();
  /// Takes the lock without waiting; whether it did.
  bool tryLock();
  /// Frees the lock without waking anyone: only where its holder is gone
  /// and no one else can wait on it (a fork child, ForkLocks::child()).
  void reset() { State.store(0, std::memory_order_relaxed); }

  /// Sleeps on \p Word while it holds \p Expected, for at most
  /// \p TimeoutNs (0: no limit); a futex wait from the gate.
  static void wait(std::atomic<uint32_t> &Word, uint32_t Expected,
                   long TimeoutNs);
  /// Wakes up to \p Count sleepers on \p Word.
  static void wake(std::atomic<uint32_t> &Word, int Count);

private:
  std::atomic<uint32_t> State{0};
};

/// Holds a GateLock for a scope.
class GateLockGuard {
public:
  explicit GateLockGuard(GateLock &L) : L(L) { L.lock(); }
  ~GateLockGuard() { L.unlock(); }
  GateLockGuard(const GateLockGuard &) = delete;
  GateLockGuard &operator=(const GateLockGuard &) = delete;

private:
  GateLock &L;
};

} // namespace k42::personality

#endif // K42_PERSONALITY_GATELOCK_H
