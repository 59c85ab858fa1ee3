//===- k42/personality/HeldFile.h - A K42 file a call holds ----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The K42 file at a descriptor, held for the length of one call: another
/// thread's close of the descriptor (or a dup2 over it) removes it at once
/// but frees the file only when the last call using it is done, as Linux's
/// fdget/fdput. The file in turn holds its server channel
/// (ServerFile::Via), so nothing a call uses goes away under it.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_HELDFILE_H
#define K42_PERSONALITY_HELDFILE_H

#include "k42/personality/FdTable.h"

namespace k42::personality {

/// One reference to an OpenFile, dropped when the holder goes.
class HeldFile {
public:
  /// Nothing held.
  HeldFile() = default;
  /// The file at \p Fd: the process's table, or in a posix_spawn child its
  /// view over its parent's; nothing for a host descriptor.
  explicit HeldFile(long Fd);
  ~HeldFile();
  HeldFile(const HeldFile &) = delete;
  HeldFile &operator=(const HeldFile &) = delete;

  /// Holds the file at \p Fd instead (what was held is let go); whether
  /// there is one.
  bool hold(long Fd);

  explicit operator bool() const { return File != nullptr; }
  OpenFile *get() const { return File; }
  OpenFile *operator->() const { return File; }
  OpenFile &operator*() const { return *File; }

private:
  OpenFile *File = nullptr;
};

} // namespace k42::personality

#endif // K42_PERSONALITY_HELDFILE_H
