//===- k42/personality/HeldPipe.h - A K42 pipe end a call holds -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The K42 pipe end at a descriptor, held for the length of one call (a
/// read or write that may sleep on the ring, a poll): another thread's
/// close of the descriptor removes it at once (the host placeholder goes,
/// so the pipe server sees the end closed), but the end's mapping of the
/// ring stays until the last call using it is done.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_HELDPIPE_H
#define K42_PERSONALITY_HELDPIPE_H

#include "k42/personality/PipeTable.h"

namespace k42::personality {

/// One reference to a PipeEnd, dropped when the holder goes.
class HeldPipe {
public:
  /// Nothing held.
  HeldPipe() = default;
  /// The pipe end at \p Fd (in a posix_spawn child, as its view has it);
  /// nothing for another descriptor.
  explicit HeldPipe(long Fd);
  ~HeldPipe();
  HeldPipe(const HeldPipe &) = delete;
  HeldPipe &operator=(const HeldPipe &) = delete;

  /// Holds the end at \p Fd instead (what was held is let go); whether
  /// there is one.
  bool hold(long Fd);

  explicit operator bool() const { return End != nullptr; }
  PipeEnd *get() const { return End; }
  PipeEnd *operator->() const { return End; }
  PipeEnd &operator*() const { return *End; }

private:
  PipeEnd *End = nullptr;
};

} // namespace k42::personality

#endif // K42_PERSONALITY_HELDPIPE_H
