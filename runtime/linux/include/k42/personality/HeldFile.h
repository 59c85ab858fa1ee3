//===- k42/personality/HeldFile.h - A K42 file a call holds ----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The K42 file at a descriptor, held for the length of one call (Held.h).
/// The file in turn holds its server channel (ServerFile::Via), so nothing
/// a call uses goes away under it.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_HELDFILE_H
#define K42_PERSONALITY_HELDFILE_H

#include "k42/personality/FdTable.h"
#include "k42/personality/Held.h"

namespace k42::personality {

/// A file is found in the process's descriptor table, or in a posix_spawn
/// child in its view over its parent's; nothing for a host descriptor.
template <> struct HoldPolicy<OpenFile> {
  static OpenFile *hold(long Fd);
  static void release(OpenFile *File);
};

/// One reference to an OpenFile, dropped when the holder goes.
using HeldFile = Held<OpenFile>;

} // namespace k42::personality

#endif // K42_PERSONALITY_HELDFILE_H
