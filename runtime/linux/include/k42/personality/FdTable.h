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

#include "k42/personality/DescriptorSlots.h"
#include "k42/personality/FileDescription.h"
#include "k42/personality/FsBridge.h"

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
  /// The description's open of the host lock file standing for the K42
  /// file (FileControl): made at its first lock, or before this process
  /// makes a child, and shared with the children and across exec; -1
  /// until then. Closed with the last descriptor.
  int LockFd = -1;
  /// FdTable's pool of free files, and its list of every file made
  /// (DescriptorSlots).
  OpenFile *NextFree = nullptr;
  OpenFile *NextMade = nullptr;

  /// Its fields as a new file's (DescriptorSlots::make).
  void reset() {
    Desc = nullptr;
    Server = ServerFile();
    LockFd = -1;
  }
};

/// Descriptor number -> OpenFile.
class FdTable : public DescriptorSlots<OpenFile> {
public:
  /// The process's table.
  static FdTable &process();

  /// What drops a reference a lookup took but cannot keep, closing the
  /// file if it was the last (FileState::releaseFile).
  using ReleaseFn = DescriptorSlots<OpenFile>::ReleaseFn;

  /// A new file (no references), from the pool or the heap; null when
  /// there is no memory.
  static OpenFile *makeFile() { return make(); }
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
    forEach([&](long, OpenFile *File) {
      if (N == Max || !Match(static_cast<const OpenFile &>(*File)))
        return;
      for (int I = 0; I < N; ++I)
        if (Out[I] == File)
          return; // dup'd: one reference is enough
      __atomic_add_fetch(&File->Refs, 1, __ATOMIC_RELAXED);
      Out[N++] = File;
    });
    return N;
  }
  using DescriptorSlots<OpenFile>::hold;
  /// In a fork child, which is another client of every file server: it
  /// holds none of its parent's leases (ServerFile::LeaseRing), so its
  /// first use of a leased description drops the copy; and none of its
  /// parent's channels, whose holds the files let go of (each re-opened at
  /// its first use). The references of other threads' calls at the fork
  /// go, for files and pipe ends (DescriptorSlots::forked).
  void forked();
};

} // namespace k42::personality

#endif // K42_PERSONALITY_FDTABLE_H
