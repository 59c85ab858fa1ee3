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
/// program's signal handler that would enter the personality while its
/// thread holds one waits until it lets go of it (SignalDefer.h).
///
/// A lock in memory processes share (a file description's, a pipe
/// ring's) may be held by a process that then dies (SIGKILL in the middle
/// of a write), or by a thread an exec ends (the host ends a process's
/// other threads wherever they are). Once the personality says which
/// process it is (recordHolders()), each lock records its holder: the
/// process's pid and which of its images (a number each image draws at
/// its start). A waiter that has waited HolderCheckNs looks whether that
/// holder is gone (no such pid, a zombie, or an earlier image of its own
/// process, whose threads the exec ended) and takes the lock over; and
/// the image an exec starts lets go at once of the locks of the files it
/// was handed that its process's previous image held (releaseIfHeldBy()).
class GateLock {
public:
  void lock();
  void unlock();
  /// Takes the lock without waiting; whether it did.
  bool tryLock();
  /// Frees the lock without waking anyone: only where its holder is gone
  /// and no one else can wait on it (a fork child, ForkLocks::child(),
  /// which then calls forgetHolders()).
  void reset() {
    State.store(0, std::memory_order_relaxed);
    HeldBy.store(0, std::memory_order_relaxed);
  }

  /// From now on every lock taken records \p Pid, this process's pid as
  /// the processes it shares locks with see it, with this image's number
  /// (0: none recorded, and a lock no one records is never taken over:
  /// the pipe server's).
  static void recordHolders(int32_t Pid);
  /// recordHolders with the image's number given (not 0): how a unit test
  /// plays two images of one process.
  static void recordHoldersAs(int32_t Pid, uint32_t Image) {
    Self.store(Pid ? holderWord(Pid, Image) : 0, std::memory_order_relaxed);
  }
  /// Lets go of the lock if \p Pid holds it: in an image an exec
  /// started, whose previous image's threads are gone, for a lock of what
  /// the exec handed on. No one else's: a lock another process holds
  /// stays.
  void releaseIfHeldBy(int32_t Pid);
  /// How long a waiter sleeps before it looks whether the holder is gone.
  static constexpr long HolderCheckNs = 100'000'000;

  /// From now on the locks each thread holds are counted (threads told
  /// apart by their %fs base, read with rdfsbase: only where the processor
  /// and the kernel allow it), and \p AfterRelease runs after a lock is let
  /// go of while deferred() is non-zero (SignalDefer).
  static void countHolders(void (*AfterRelease)());
  /// The calling thread as holders are counted: its %fs base (0 while
  /// holders are not counted, or for a thread without one).
  static uint64_t thisThread();
  /// Whether the calling thread holds any lock (false while holders are
  /// not counted, or for a thread without a %fs base).
  static bool heldByThisThread();
  /// In a fork child: no thread holds a lock (the locks are reset).
  static void forgetHolders();
  /// How many threads have signals waiting for their locks to be let go
  /// of (SignalDefer counts them): unlock() looks at it.
  static std::atomic<uint32_t> &deferred() { return Deferred; }

  /// Sleeps on \p Word while it holds \p Expected, for at most
  /// \p TimeoutNs (0: no limit); a futex wait from the gate. The futex's
  /// answer: 0 when woken, -ETIMEDOUT, -EAGAIN if \p Word had moved.
  static long wait(std::atomic<uint32_t> &Word, uint32_t Expected,
                   long TimeoutNs);
  /// Wakes up to \p Count sleepers on \p Word.
  static void wake(std::atomic<uint32_t> &Word, int Count);

  /// A server call starts, or ends, on the calling thread: counted as a
  /// lock held, so a program's handler waits for its end (SignalDefer).
  /// A handler that left a call by siglongjmp skipped the call's
  /// release of its channel slot: after a few hundred, every slot of the
  /// channel was taken and every path call of the process was EAGAIN
  /// (battery 42). Server calls are bounded (a call that blocks for long,
  /// a pipe read, a wait, sleeps in the process, not in a server).
  static void callStarts() { held(); }
  static void callEnds() { released(); }

private:
  /// One more lock held by the calling thread, or one fewer.
  static void held();
  static void letGo();
  /// One fewer, and the signals waiting for it let through (SignalDefer).
  static void released();

  /// Whether the holder recorded as \p Seen (holderWord()) is gone: the
  /// lock is then taken over for the caller, who waits for it.
  bool takeOverFrom(uint64_t Seen);

  /// A holder as locks record it: the image's number above its pid.
  static constexpr uint64_t holderWord(int32_t Pid, uint32_t Image) {
    return uint64_t(Image) << 32 | uint32_t(Pid);
  }
  static constexpr int32_t pidOf(uint64_t Word) {
    return int32_t(uint32_t(Word));
  }

  std::atomic<uint32_t> State{0};
  /// The holder while held (holderWord(); 0: not recorded).
  std::atomic<uint64_t> HeldBy{0};

  static inline constinit std::atomic<uint64_t> Self{0};
  static inline bool CountHolders = false;
  static inline void (*AfterRelease)() = nullptr;
  static inline constinit std::atomic<uint32_t> Deferred{0};
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
