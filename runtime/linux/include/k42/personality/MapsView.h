//===- k42/personality/MapsView.h - A K42 program's maps --------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A program only K42 has runs from a memfd copy (FileState::hostImage),
/// so the host's /proc/self/maps names its mappings
/// "/memfd:k42-image:/tmp/x/prog (deleted)". Programs read their own maps
/// to find their executable's file: Rust's backtraces found no file there
/// and printed no frames (battery 42). A process's maps, opened for
/// reading, is answered with the host's text and those names made the
/// program's K42 path, as Linux names the file it runs.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_MAPSVIEW_H
#define K42_PERSONALITY_MAPSVIEW_H

namespace k42::personality {

/// The process's own /proc maps file, with K42's names.
class MapsView {
public:
  /// Whether \p Abs, opened with \p Flags for reading, is this process's
  /// own maps (/proc/self/maps, /proc/thread-self/maps, /proc/<pid>/maps
  /// or a thread's) while it runs a program only K42 has, or another
  /// process's (a debugger's or a profiler's look at it). No system call.
  static bool names(const char *Abs, long Flags);
  /// The view of \p Abs, a read-only descriptor as
  /// OwnMemfd::readOnlyFile makes one, or a negated errno (the host's
  /// EACCES for a process this one may not trace).
  static long open(const char *Abs, long Flags);
};

} // namespace k42::personality

#endif // K42_PERSONALITY_MAPSVIEW_H
