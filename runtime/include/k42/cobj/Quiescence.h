//===- runtime/include/k42/cobj/Quiescence.h - Deferred deletion -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Deletion after quiescence, K42's answer to "when may an object that
/// threads can still be calling be freed?": not until every thread that
/// could have seen it has passed a point where it holds no reference. As in
/// K42's generation scheme, time is cut into epochs (generations); a thread
/// entering a read-side section records the current epoch, and an object
/// retired in epoch E is freed once no thread is still inside a section it
/// entered at or before E.
///
/// The call path pays one thread-local store and a compiler barrier: the
/// full barrier that ordering needs is paid by the (rare) writer instead,
/// through membarrier(2), which makes every running thread of the process
/// execute one. Where membarrier is unavailable (or under ThreadSanitizer)
/// readers fence themselves. No lock is taken on the call path.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_COBJ_QUIESCENCE_H
#define K42_RUNTIME_COBJ_QUIESCENCE_H

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace k42::cobj {

/// One thread's read-side state (internal to Quiescence). Trivially
/// destructible, so reaching it costs no thread-local initialisation check;
/// it leaves the registry through a thread-exit handler instead.
struct QuiescenceRecord {
  /// The epoch the thread's outermost section began in; 0 when outside.
  std::atomic<uint64_t> Epoch;
  unsigned Depth;
  bool Registered;
  QuiescenceRecord *Next;
};

/// Process-wide deferred deletion.
class Quiescence {
public:
  /// A read-side section: while one lives, nothing this thread loaded from a
  /// shared structure and that was retired afterwards is freed. Sections
  /// nest and are cheap; they must not be held across a block that waits
  /// for a retirement (synchronize()).
  class Section {
  public:
    Section() { Quiescence::enter(); }
    ~Section() { Quiescence::exit(); }
    Section(const Section &) = delete;
    Section &operator=(const Section &) = delete;
  };

  /// Frees \p Object with \p Deleter once every section open now has
  /// closed. Call after unlinking it, so no new section can find it.
  static void retire(void *Object, void (*Deleter)(void *));

  /// Typed retire: deletes \p Object.
  template <typename T> static void retire(T *Object) {
    retire(static_cast<void *>(Object),
           [](void *P) { delete static_cast<T *>(P); });
  }

  /// Waits until every section open when it was called has closed, then
  /// frees what can be freed. Not to be called inside a section.
  static void synchronize();

  /// Frees the retired objects no section can still see; returns how many.
  static size_t reclaim();

  /// Objects retired and not yet freed.
  static size_t pending();

  /// Whether writers pay the barrier for readers (membarrier available).
  static bool asymmetric();

  /// Whether the calling thread is inside a section.
  static bool inside() { return record().Depth != 0; }

  /// How many sections the calling thread is inside (1: only its
  /// outermost).
  static unsigned depth() { return record().Depth; }

  static void enter() {
    QuiescenceRecord &R = record();
    if (R.Depth++ != 0)
      return;
    if (!R.Registered) [[unlikely]]
      registerThread(R);
    R.Epoch.store(Global.load(std::memory_order_acquire),
                  std::memory_order_relaxed);
    readerFence();
  }

  static void exit() {
    QuiescenceRecord &R = record();
    if (--R.Depth == 0)
      R.Epoch.store(0, std::memory_order_release);
  }

private:
  static QuiescenceRecord &record() { return Mine; }
  static void readerFence() {
    if (Asymmetric.load(std::memory_order_relaxed))
      std::atomic_signal_fence(std::memory_order_seq_cst);
    else
      std::atomic_thread_fence(std::memory_order_seq_cst);
  }
  static void registerThread(QuiescenceRecord &R);
  static void writerFence();
  static uint64_t oldestActive();

  static void unregisterThread(void *Record);

  /// Constant-initialised, so no access pays a thread-local init check.
  [[gnu::tls_model("initial-exec")]] static inline constinit thread_local
      QuiescenceRecord Mine{};
  static std::atomic<uint64_t> Global;
  static std::atomic<bool> Asymmetric;
};

} // namespace k42::cobj

#endif // K42_RUNTIME_COBJ_QUIESCENCE_H
