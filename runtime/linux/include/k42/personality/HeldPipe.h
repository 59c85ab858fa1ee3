//===- k42/personality/HeldPipe.h - A K42 pipe end a call holds -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The K42 pipe end at a descriptor, held for the length of one call (a
/// read or write that may sleep on the ring, a poll; Held.h): another
/// thread's close removes the descriptor at once (the host placeholder
/// goes, so the pipe server sees the end closed), but the end's mapping of
/// the ring stays until the last call using it is done.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_HELDPIPE_H
#define K42_PERSONALITY_HELDPIPE_H

#include "k42/personality/Held.h"
#include "k42/personality/PipeTable.h"

namespace k42::personality {

/// A pipe end is found through PipeCalls (the process's pipe table, or a
/// posix_spawn child's view); nothing for another descriptor.
template <> struct HoldPolicy<PipeEnd> {
  static PipeEnd *hold(long Fd);
  static void release(PipeEnd *End);
};

/// One reference to a PipeEnd, dropped when the holder goes.
using HeldPipe = Held<PipeEnd>;

} // namespace k42::personality

#endif // K42_PERSONALITY_HELDPIPE_H
