//===- k42/personality/FdTable.h - The process's descriptors ---*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The FREENIX paper's descriptor array kept by the application: descriptor
/// number -> the client object of an open K42 file (FileLinux: its server
/// handle, and the shared description with offset, flags and path). Descriptor
/// numbers are the host's: each K42 descriptor is backed by a host placeholder
/// at the same number (the description's memfd), so new descriptors are the
/// lowest free ones, and close-on-exec is the placeholder's own flag.
/// Descriptors made by dup share one OpenFile, counted by Refs; processes share
/// the description. Host descriptors have no entry and pass through.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_FDTABLE_H
#define K42_PERSONALITY_FDTABLE_H

#include "k42/personality/FileDescription.h"
#include "k42/personality/FsBridge.h"
#include "k42/personality/GateLock.h"
#include "k42/personality/RefCount.h"

#include <cstdint>

namespace k42::personality {

/// This process's view of one open K42 file description: the shared part
/// (offset, flags, path: FileDescription, in memory every holder maps) and
/// this process's own server handle.
struct OpenFile {
  /// Descriptors of this process that refer to it (dup), and calls in
  /// progress on it (FdTable::hold).
  uint32_t Refs = 0;
  /// The description all holders share; this process's mapping of it.
  FileDescription *Desc = nullptr;
  /// The server handle; re-made from Desc->Path in a process that did not
  /// open it (a forked child, a program after exec): lazy
  /// re-authorisation.
  ServerFile Server;
  /// The host lock file standing for the K42 file (FileControl), opened at
  /// this description's first flock or fcntl lock in this process; -1
  /// until then. Closed with the last descriptor.
  int LockFd = -1;
  /// FdTable's pool of free files (FdTable::recycle).
  OpenFile *NextFree = nullptr;
};

/// Descriptor number -> OpenFile.
class FdTable {
public:
  /// Descriptors the table follows (the host's usual soft limit).
  static constexpr int MaxFds = 1024;

  /// The process's table.
  static FdTable &process();

  /// What drops a reference a lookup took but cannot keep, closing the
  /// file if it was the last (FileState::releaseFile).
  using ReleaseFn = void (*)(OpenFile *);

  /// The file at \p Fd, or null for a host descriptor or a bad number.
  /// No reference is taken: a look only (is it K42's?), since another
  /// thread may close \p Fd and free the file at any moment; a call that
  /// uses the file holds it (hold(long, ReleaseFn)).
  OpenFile *get(long Fd) const;
  /// The file at \p Fd with a reference the caller now owns (drop it with
  /// \p Release when the call is done), or null. Without a lock, so a
  /// signal handler's call inside a call is safe too: the reference is
  /// taken only from a count that is not zero (files are never given back
  /// to the heap, only to this table's pool, so a file just freed is still
  /// a file whose count reads zero) and kept only if \p Fd still holds
  /// the file after it; \p Release drops it otherwise. As on Linux, a close
  /// of \p Fd meanwhile removes the descriptor at once, and the call goes
  /// on with the file it holds.
  OpenFile *hold(long Fd, ReleaseFn Release) const {
    if (Fd < 0 || Fd >= MaxFds)
      return nullptr;
    for (;;) {
      OpenFile *File = __atomic_load_n(&Files[Fd], __ATOMIC_ACQUIRE);
      if (!File)
        return nullptr;
      if (!retainLive(File))
        continue; // freed meanwhile: look again
      if (__atomic_load_n(&Files[Fd], __ATOMIC_ACQUIRE) == File)
        return File;
      Release(File); // another file (or none) is at Fd now
    }
  }
  /// A reference to \p File if its count is not zero (it is alive).
  static bool retainLive(OpenFile *File) {
    return RefCount::retainLive(File->Refs);
  }
  /// A new file (no references), from the pool or the heap; null when
  /// there is no memory.
  static OpenFile *makeFile();
  /// Gives a file whose last reference went back to the pool (never to
  /// the heap: hold() may still look at its count).
  static void recycle(OpenFile *File);
  /// Up to \p Max files of the table for which \p Match(const OpenFile &)
  /// holds, into \p Out, each with a reference the caller now owns (drop
  /// it with release()); the count found. For a walk over descriptors that
  /// other threads may be closing: \p Match runs under the table's lock,
  /// where every file in the table is alive (a close removes its entry
  /// under that lock before it frees the file), and the reference keeps a
  /// found one alive after. \p Match must be short (no server call) and
  /// must not use the table.
  template <typename MatchFn> int hold(OpenFile **Out, int Max, MatchFn Match) {
    GateLockGuard Guard(Lock);
    int N = 0;
    for (int Fd = 0; Fd < MaxFds && N < Max; ++Fd) {
      OpenFile *File = Files[Fd];
      if (!File || !Match(static_cast<const OpenFile &>(*File)))
        continue;
      bool Again = false;
      for (int I = 0; I < N; ++I)
        Again = Again || Out[I] == File; // dup'd: one reference is enough
      if (Again)
        continue;
      __atomic_add_fetch(&File->Refs, 1, __ATOMIC_RELAXED);
      Out[N++] = File;
    }
    return N;
  }
  /// Makes \p Fd refer to \p File (counting a reference); false if \p Fd
  /// is out of range. \p Fd is free on the host (the caller's new
  /// descriptor), but may still hold the file of another thread's close,
  /// which lets go of the host's descriptor before the table's
  /// (removeIf()): that reference is dropped with \p Stale.
  bool install(long Fd, OpenFile *File, ReleaseFn Stale = nullptr);
  /// Removes \p Fd; the file it held, whose reference the caller now owns
  /// (null if it was not a K42 descriptor).
  OpenFile *remove(long Fd);
  /// Removes \p Fd if it still refers to \p File (close: the host's
  /// descriptor goes first, so that another thread's call meanwhile finds
  /// the file, never its placeholder alone); \p File, whose reference the
  /// caller now owns, or null if \p Fd refers to something else by now.
  OpenFile *removeIf(long Fd, OpenFile *File);
  /// Makes \p Fd refer to \p File (counting a reference; null: none) in
  /// one step, for dup2 over a descriptor another thread may be using:
  /// it finds the old file or the new, never neither. The old file, whose
  /// reference the caller now owns (null if none, or \p Fd out of range).
  OpenFile *exchange(long Fd, OpenFile *File);
  /// Drops a reference; true when it was the last (the caller closes).
  static bool release(OpenFile *File) {
    return File && RefCount::release(File->Refs);
  }
  /// How many descriptors are K42's.
  int count() const;
  /// In a fork child, which is another client of every file server: it
  /// holds none of its parent's leases (ServerFile::LeaseRing), so its
  /// first use of a leased description drops the copy; and none of its
  /// parent's channels, whose holds the files let go of (each re-opened at
  /// its first use).
  void forked();

private:
  OpenFile *Files[MaxFds] = {};
  GateLock Lock;
};

} // namespace k42::personality

#endif // K42_PERSONALITY_FDTABLE_H
