//===- k42/personality/PipeTable.h - The process's pipe ends ---*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Descriptor number -> K42 pipe end, beside FdTable (files). A pipe end's
/// host placeholder at the same number is a socket whose peer the pipe
/// server holds: the host counts the end's descriptors across fork, exec,
/// dup, close and death, and the server hears when the count reaches zero.
/// Descriptors made by dup share one PipeEnd, counted by Refs; a forked
/// child inherits the table and the ring's mapping as they are.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_PIPETABLE_H
#define K42_PERSONALITY_PIPETABLE_H

#include "k42/personality/GateLock.h"
#include "k42/personality/PipeRing.h"
#include "k42/personality/RefCount.h"

#include <cstdint>

namespace k42::personality {

/// This process's view of one end of a K42 pipe.
struct PipeEnd {
  /// Descriptors of this process that refer to it (dup), and calls in
  /// progress on it (PipeTable::hold).
  uint32_t Refs = 0;
  /// True for the write end.
  bool Writer = false;
  /// True for a description that both reads and writes (a FIFO opened
  /// O_RDWR, a pipe opened O_RDWR by /proc/self/fd/N); Writer is false.
  bool ReadWrite = false;
  /// Its status flags' slot in the ring (PipeRing::SlotFlags) for a
  /// description opened by name; -1: the side's own (ReadFlags,
  /// WriteFlags), as pipe() made it.
  int32_t Slot = -1;
  /// The ring, mapped; null in a program after exec until its first use
  /// maps it again from the pipe server's memfd (ServerPid, ServerFd).
  PipeRing *Ring = nullptr;
  int32_t ServerPid = 0;
  int32_t ServerFd = 0;
  uint64_t Id = 0;
  /// PipeTable's pool of free ends (PipeTable::recycle).
  PipeEnd *NextFree = nullptr;
};

/// Descriptor number -> PipeEnd.
class PipeTable {
public:
  static constexpr int MaxFds = 1024;

  /// The process's table.
  static PipeTable &process();

  /// What drops a reference a lookup took but cannot keep, the end
  /// detached if it was the last (PipeCalls::release).
  using ReleaseFn = void (*)(PipeEnd *);

  /// The pipe end at \p Fd, or null. No reference is taken: a look only
  /// (is it a K42 pipe?); a call that uses the end holds it (hold()).
  PipeEnd *get(long Fd) const;
  /// The pipe end at \p Fd with a reference the caller now owns (drop it
  /// with \p Release when the call is done), or null: FdTable::hold's
  /// rules, so a close of \p Fd meanwhile (or a dup2 over it) never
  /// unmaps the ring under a read or write in progress, which goes on
  /// with the pipe it started on.
  PipeEnd *hold(long Fd, ReleaseFn Release) const {
    if (Fd < 0 || Fd >= MaxFds)
      return nullptr;
    for (;;) {
      PipeEnd *End = __atomic_load_n(&Ends[Fd], __ATOMIC_ACQUIRE);
      if (!End)
        return nullptr;
      if (!retainLive(End))
        continue;
      if (__atomic_load_n(&Ends[Fd], __ATOMIC_ACQUIRE) == End)
        return End;
      Release(End);
    }
  }
  /// A reference to \p End if its count is not zero (it is alive).
  static bool retainLive(PipeEnd *End) {
    return RefCount::retainLive(End->Refs);
  }
  /// A new end (no references), from the pool or the heap; null when
  /// there is no memory.
  static PipeEnd *makeEnd();
  /// Gives an end whose last reference went back to the pool (never to
  /// the heap: hold() may still look at its count).
  static void recycle(PipeEnd *End);
  /// Makes \p Fd refer to \p End (counting a reference); false if out of
  /// range. FdTable::install's \p Stale: an end another thread's close
  /// has not yet taken out.
  bool install(long Fd, PipeEnd *End, ReleaseFn Stale = nullptr);
  /// Removes \p Fd; the end it held (the caller owns that reference).
  PipeEnd *remove(long Fd);
  /// FdTable::removeIf: removes \p Fd if it still refers to \p End.
  PipeEnd *removeIf(long Fd, PipeEnd *End);
  /// FdTable::exchange: \p Fd refers to \p End (null: none) in one step;
  /// the old end, whose reference the caller now owns.
  PipeEnd *exchange(long Fd, PipeEnd *End);
  /// Drops a reference; true when it was the last.
  static bool release(PipeEnd *End) {
    return End && RefCount::release(End->Refs);
  }
  /// Whether some descriptor of this process holds the other end of the
  /// pipe \p End belongs to.
  bool holdsOtherEnd(const PipeEnd &End) const;
  /// How many descriptors are K42 pipe ends.
  int count() const;

private:
  PipeEnd *Ends[MaxFds] = {};
  GateLock Lock;
};

} // namespace k42::personality

#endif // K42_PERSONALITY_PIPETABLE_H
