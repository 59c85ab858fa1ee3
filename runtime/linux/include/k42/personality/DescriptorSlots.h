//===- k42/personality/DescriptorSlots.h - Fd -> counted object -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// What FdTable (files) and PipeTable (pipe ends) share: descriptor number
/// -> a counted object, held by the calls using it without a lock, its
/// objects from a pool they go back to (never to the heap, since a hold
/// may still look at a count through a stale pointer), and the fork
/// child's recount of every object's references. One template, so the
/// hot path (hold, release) is inlined for each kind as before.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_DESCRIPTORSLOTS_H
#define K42_PERSONALITY_DESCRIPTORSLOTS_H

#include "k42/personality/GateHeap.h"
#include "k42/personality/GateLock.h"
#include "k42/personality/HeldScan.h"
#include "k42/personality/RefCount.h"

#include <cstdint>

namespace k42::personality {

/// Descriptor number -> \p T. A \p T has `uint32_t Refs` (descriptors of
/// this process that refer to it, and calls in progress on it),
/// `T *NextFree` and `T *NextMade` (the pool's links) and `void reset()`
/// (its fields as new, Refs and the links aside).
template <typename T> class DescriptorSlots {
public:
  /// Descriptors the table follows: Linux's default fs.nr_open, so a
  /// program that raises RLIMIT_NOFILE has K42 files at any number the
  /// host gives it.
  static constexpr int MaxFds = 1 << 20;
  /// The first numbers' slots are the table's own (the host's usual soft
  /// limit: one compare on the hot path); above them, chunks of as many,
  /// made at a chunk's first install and kept for the image's life.
  static constexpr int ChunkFds = 1024;

  /// One past the highest number a slot exists for: walks over the table
  /// stop there (ChunkFds until a program goes past it).
  long end() const { return __atomic_load_n(&End, __ATOMIC_ACQUIRE); }
  /// \p Each(Fd, T *) for every number holding an object, lowest first;
  /// under the caller's lock if it needs one.
  template <typename Fn> void forEach(Fn &&Each) const {
    long Stop = end();
    for (long Fd = 0; Fd < Stop; ++Fd) {
      T *const *At = slotAt(Fd);
      if (!At) {
        Fd |= ChunkFds - 1; // a chunk never made: the next one
        continue;
      }
      if (T *Object = __atomic_load_n(At, __ATOMIC_ACQUIRE))
        Each(Fd, Object);
    }
  }

  /// What drops a reference a lookup took but cannot keep, letting the
  /// object go if it was the last.
  using ReleaseFn = void (*)(T *);

  /// The object at \p Fd, or null. No reference is taken: a look only (is
  /// it of this kind?), since another thread may close \p Fd and let the
  /// object go at any moment; a call that uses it holds it.
  T *get(long Fd) const {
    T *const *At = slotAt(Fd);
    return At ? __atomic_load_n(At, __ATOMIC_ACQUIRE) : nullptr;
  }
  /// The object at \p Fd with a reference the caller now owns (drop it
  /// with \p Release when the call is done), or null. Without a lock, so a
  /// signal handler's call inside a call is safe too: the reference is
  /// taken only from a count that is not zero (an object just let go is
  /// still one, in the pool, whose count reads zero) and kept only if
  /// \p Fd still holds the object after it; \p Release drops it otherwise.
  /// As on Linux, a close of \p Fd meanwhile removes the descriptor at
  /// once, and the call goes on with the object it holds.
  T *hold(long Fd, ReleaseFn Release) const {
    T *const *At = slotAt(Fd);
    if (!At)
      return nullptr;
    for (;;) {
      T *Object = __atomic_load_n(At, __ATOMIC_ACQUIRE);
      if (!Object)
        return nullptr;
      if (!retainLive(Object))
        continue; // let go meanwhile: look again
      if (__atomic_load_n(At, __ATOMIC_ACQUIRE) == Object)
        return Object;
      Release(Object); // another object (or none) is at Fd now
    }
  }
  /// A reference to \p Object if its count is not zero (it is alive).
  static bool retainLive(T *Object) {
    return RefCount::retainLive(Object->Refs);
  }
  /// Drops a reference; true when it was the last (the caller lets the
  /// object go and recycles it).
  static bool release(T *Object) {
    return Object && RefCount::release(Object->Refs);
  }

  /// Makes \p Fd refer to \p Object (counting a reference); false if \p Fd
  /// is out of range, or its chunk cannot be made (no memory). \p Fd is
  /// free on the host (the caller's new
  /// descriptor), but may still hold the object of another thread's close,
  /// which lets go of the host's descriptor before the table's
  /// (removeIf()): that reference is dropped with \p Stale.
  bool install(long Fd, T *Object, ReleaseFn Stale = nullptr) {
    if (!Object || Fd < 0 || Fd >= MaxFds)
      return false;
    bool Made = false;
    T *Old = exchange(Fd, Object, &Made);
    if (Old && Stale)
      Stale(Old);
    return Made;
  }
  /// Removes \p Fd; the object it held, whose reference the caller now
  /// owns (null if none).
  T *remove(long Fd) { return exchange(Fd, nullptr); }
  /// Removes \p Fd if it still refers to \p Object (close: the host's
  /// descriptor goes first, so that another thread's call meanwhile finds
  /// the object, never its placeholder alone); \p Object, whose reference
  /// the caller now owns, or null if \p Fd refers to something else by
  /// now.
  T *removeIf(long Fd, T *Object) {
    T **At = const_cast<T **>(slotAt(Fd));
    if (!At || !Object)
      return nullptr;
    GateLockGuard Guard(Lock);
    if (*At != Object)
      return nullptr;
    __atomic_store_n(At, nullptr, __ATOMIC_RELEASE);
    return Object;
  }
  /// Makes \p Fd refer to \p Object (counting a reference; null: none) in
  /// one step, for dup2 over a descriptor another thread may be using: it
  /// finds the old object or the new, never neither. The old one, whose
  /// reference the caller now owns (null if none, or \p Fd out of range).
  /// \p Put, if given, says whether \p Object went in (its slot could be
  /// made).
  T *exchange(long Fd, T *Object, bool *Put = nullptr) {
    if (Fd < 0 || Fd >= MaxFds)
      return nullptr;
    GateLockGuard Guard(Lock);
    T **At = slotFor(Fd, Object != nullptr);
    if (Put)
      *Put = At != nullptr;
    if (!At)
      return nullptr; // no chunk: nothing there, and no memory for one
    if (Object)
      RefCount::retain(Object->Refs);
    T *Old = *At;
    __atomic_store_n(At, Object, __ATOMIC_RELEASE);
    return Old;
  }
  /// How many descriptors refer to an object of this kind.
  int count() const {
    int N = 0;
    forEach([&](long, const T *) { ++N; });
    return N;
  }

  /// A new object (no references), from the pool or the heap; null when
  /// there is no memory.
  static T *make() {
    T *Object = nullptr;
    {
      GateLockGuard Guard(PoolLock);
      if ((Object = Pool))
        Pool = Object->NextFree;
    }
    if (!Object) {
      if (!(Object = GateHeap::make<T>()))
        return nullptr;
      GateLockGuard Guard(PoolLock);
      Object->NextMade = Made;
      Made = Object;
      return Object;
    }
    // Refs stays zero until the object is installed: a hold() that still
    // looks at it from a descriptor it had finds it dead.
    Object->reset();
    Object->NextFree = nullptr;
    return Object;
  }
  /// Gives an object whose last reference went back to the pool (never
  /// to the heap: hold() may still look at its count).
  static void recycle(T *Object) {
    if (!Object)
      return;
    GateLockGuard Guard(PoolLock);
    Object->NextFree = Pool;
    Pool = Object;
  }

  /// In a fork child, whose only thread is the one that forked: the
  /// references of calls other threads were making at the fork are
  /// dropped (no one is left to drop them), so that the last close of a
  /// descriptor here lets its object go, as the program expects (a file's
  /// server handle and lock file closed, a pipe end seen closed). Each
  /// live object then counts the descriptors that refer to it and the
  /// holds of the forking thread's own calls in progress (\p Mine: a
  /// signal handler that forked inside a call); one that neither keeps is
  /// let go with \p Release. Nothing changes when \p Mine could not be
  /// known, or in a process that never had a second thread.
  void forked(const HeldScan &Mine, ReleaseFn Release) {
    (void)&ForkEntries;
    if (!RefCount::threaded() || !Mine.known())
      return;
    T *Lost[64];
    int NumLost = 0;
    bool Again = true;
    while (Again) {
      Again = false;
      for (T *Object = Made; Object; Object = Object->NextMade) {
        if (__atomic_load_n(&Object->Refs, __ATOMIC_RELAXED) == 0)
          continue; // in the pool
        uint32_t Refs = uint32_t(Mine.holds(Object));
        forEach([&](long, const T *At) { Refs += At == Object; });
        if (Refs) {
          __atomic_store_n(&Object->Refs, Refs, __ATOMIC_RELAXED);
          continue;
        }
        // Held only by the calls of threads that are not here: let go
        // (below, outside the walk: a release recycles into the pool).
        __atomic_store_n(&Object->Refs, 1u, __ATOMIC_RELAXED);
        Lost[NumLost++] = Object;
        if (NumLost == 64) {
          Again = true;
          break;
        }
      }
      for (int I = 0; I < NumLost; ++I)
        Release(Lost[I]);
      NumLost = 0;
    }
  }

protected:
  /// \p Fd's slot, or null: out of range, or in a chunk not made.
  T *const *slotAt(long Fd) const {
    if (static_cast<unsigned long>(Fd) < ChunkFds) [[likely]]
      return &Slots[Fd];
    if (Fd < 0 || Fd >= MaxFds)
      return nullptr;
    Chunk *C = __atomic_load_n(&Chunks[Fd / ChunkFds], __ATOMIC_ACQUIRE);
    return C ? &C->Slots[Fd % ChunkFds] : nullptr;
  }
  /// slotAt(), its chunk made first when \p Make (Lock held); null when
  /// there is no memory for it, or (not \p Make) no chunk.
  T **slotFor(long Fd, bool Make) {
    if (T *const *At = slotAt(Fd))
      return const_cast<T **>(At);
    if (!Make || Fd < 0 || Fd >= MaxFds)
      return nullptr;
    Chunk *C = GateHeap::make<Chunk>();
    if (!C)
      return nullptr;
    long Index = Fd / ChunkFds;
    __atomic_store_n(&Chunks[Index], C, __ATOMIC_RELEASE);
    if ((Index + 1) * ChunkFds > End)
      __atomic_store_n(&End, (Index + 1) * ChunkFds, __ATOMIC_RELEASE);
    return &C->Slots[Fd % ChunkFds];
  }

  T *Slots[ChunkFds] = {};
  /// The slots past the first ChunkFds numbers (index 0 unused).
  struct Chunk {
    T *Slots[ChunkFds] = {};
  };
  Chunk *Chunks[MaxFds / ChunkFds] = {};
  long End = ChunkFds;
  /// One per kind of object (a process has one table of each), among the
  /// small variables, not past the 8 KiB of slots: there it had a page of
  /// its own, which the parent and the child of every fork then copied
  /// again, a page fault each, at their next install or removal.
  static inline constinit GateLock Lock;

private:
  /// Objects whose last reference went (recycle()), and every object
  /// ever made (the fork child's recount walks them: each is alive, with
  /// references, or in the pool).
  static inline constinit GateLock PoolLock;
  /// Both locks, held across a fork (ForkLocks.h); named in forked(),
  /// which every table's fork child runs, so each table's entries exist.
  [[gnu::used, gnu::retain,
    gnu::section("k42_fork_locks")]] static inline GateLock *ForkEntries[2] = {
      &Lock, &PoolLock};
  static inline T *Pool = nullptr;
  static inline T *Made = nullptr;
};

} // namespace k42::personality

#endif // K42_PERSONALITY_DESCRIPTORSLOTS_H
