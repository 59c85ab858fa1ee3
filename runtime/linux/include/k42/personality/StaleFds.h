//===- k42/personality/StaleFds.h - Entries a close left behind -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A close lets go of the host's descriptor before the table's entry (so
/// that another thread's call meanwhile finds the K42 file or pipe end,
/// never its placeholder alone), and between the two the host may give
/// the number to another thread's new descriptor: a host file, a socket,
/// a K42 file or a pipe end. Whatever the tables still hold at a number
/// the host has just given out belongs to the descriptor that was closed,
/// so the thread that got the number drops it before it answers: the new
/// descriptor is never taken for the old (a read of a new /dev/null giving
/// the old file's bytes, a new file read as the old pipe).
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_STALEFDS_H
#define K42_PERSONALITY_STALEFDS_H

namespace k42::personality {

/// Drops the tables' entries at a number the host has just given out.
class StaleFds {
public:
  /// \p Fd is a descriptor the host has just made for the caller (before
  /// any K42 object is installed at it): the file or pipe end the tables
  /// still hold there is another thread's closed descriptor's, and goes
  /// (its reference dropped; the close that removed its host descriptor
  /// then finds the entry gone). Two loads when there is none. Nothing
  /// in a posix_spawn child, whose view over its parent's tables is its
  /// own (SpawnView), or for a number out of the tables' range.
  static void drop(long Fd);
};

} // namespace k42::personality

#endif // K42_PERSONALITY_STALEFDS_H
