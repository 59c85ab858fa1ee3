//===- k42/personality/FdTable.h - The process's descriptors ---*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The FREENIX paper's descriptor array kept by the application: descriptor
/// number -> the client object of an open K42 file (FileLinux: its server
/// handle, offset, flags and path). Descriptor numbers are the host's: each
/// K42 descriptor is backed by a host placeholder (/dev/null) at the same
/// number, so new descriptors are the lowest free ones, and close-on-exec
/// is the placeholder's own flag. Descriptors made by dup share one
/// OpenFile (and its offset), counted by Refs. Host descriptors have no
/// entry and pass through.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_FDTABLE_H
#define K42_PERSONALITY_FDTABLE_H

#include "k42/personality/FsBridge.h"
#include "k42/personality/GateLock.h"

#include <cstdint>

namespace k42::personality {

/// One open K42 file description.
struct OpenFile {
  uint32_t Refs = 0;
  /// Linux open flags (access mode, O_APPEND, O_NONBLOCK...).
  uint32_t Flags = 0;
  uint64_t Offset = 0;
  /// getdents64's place in a directory.
  uint64_t DirCookie = 0;
  bool IsDir = false;
  /// Serialises offset updates of descriptors sharing this file.
  GateLock Lock;
  /// The server handle; re-made from Path in a process that did not open
  /// it (a forked child, a program after exec): lazy re-authorisation.
  ServerFile Server;
  /// The absolute path it was opened at.
  char Path[fs::PathMax + 1] = {};
};

/// Descriptor number -> OpenFile.
class FdTable {
public:
  /// Descriptors the table follows (the host's usual soft limit).
  static constexpr int MaxFds = 1024;

  /// The process's table.
  static FdTable &process();

  /// The file at \p Fd, or null for a host descriptor or a bad number.
  OpenFile *get(long Fd) const;
  /// Makes \p Fd refer to \p File (counting a reference); false if \p Fd
  /// is out of range. \p Fd must be free in the table.
  bool install(long Fd, OpenFile *File);
  /// Removes \p Fd; the file it held, whose reference the caller now owns
  /// (null if it was not a K42 descriptor).
  OpenFile *remove(long Fd);
  /// Drops a reference; true when it was the last (the caller closes).
  static bool release(OpenFile *File);
  /// How many descriptors are K42's.
  int count() const;

private:
  OpenFile *Files[MaxFds] = {};
  GateLock Lock;
};

} // namespace k42::personality

#endif // K42_PERSONALITY_FDTABLE_H
