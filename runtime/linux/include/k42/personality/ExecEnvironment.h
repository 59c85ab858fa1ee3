//===- k42/personality/ExecEnvironment.h - What exec must keep --*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A program's next image runs on the personality only if its environment
/// says so: LD_PRELOAD naming libk42linux.so, K42_KERNEL_SOCKET naming the
/// system, K42_EXEC and K42_HOST_PATHS. A program that execs with an
/// environment of its own (`env -i PATH=... cmd`, a daemon's clean
/// environment, `LD_PRELOAD=libother.so cmd`) used to start an image on
/// the bare host: its relative paths were the host's, so `env -i sh -c
/// 'ls f'` in a K42 folder could not find f. The personality is the
/// process's system, not an option of its environment: what such an exec
/// drops is put back into the environment the exec passes, and the new
/// image takes it out again before the program runs, so the program sees
/// the environment it was given.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_EXECENVIRONMENT_H
#define K42_PERSONALITY_EXECENVIRONMENT_H

#include "k42/personality/UserMemory.h"

#include <cstdint>

namespace k42::personality {

/// The personality's variables across exec.
class ExecEnvironment {
public:
  /// Keeps this image's values of the personality's variables (from
  /// \p Environment), for its execs. Before the program can change them.
  static void start(char **Environment);

  /// The environment an exec with \p Envp (the caller's) passes: \p Envp
  /// itself when it has them all, else a copy with what it lacks put back
  /// (until execFailed()); what was put back is added(). An exec with
  /// LD_TRACE_LOADED_OBJECTS (ldd's) passes a copy without the library
  /// instead: its ld.so lists the program's libraries and exits before
  /// the personality could run, and the list is then the host's; so does
  /// one with \p Lists (`ld.so --list`: LibraryExport::listsOnly).
  static long prepare(long Envp, bool Lists = false);

  /// Whether the caller's \p Envp has an LD_PRELOAD naming the
  /// personality's library (what prepare() makes sure of).
  static bool preloads(long Envp);

  /// What prepare() put back, for the exec state (0: nothing).
  static uint32_t added();

  /// 0 if the next image can load the personality's library, else
  /// -EACCES, said once on stderr: a process that changed its user to one
  /// who may not read the library (K42 built in a folder only its owner
  /// may enter) would start its next image without the personality, on
  /// the host's files, where ld.so only warns that it cannot preload it.
  static long libraryReadable();

  /// After an exec that failed: the copy is dropped.
  static void execFailed();

  /// In the new image: takes what \p Added says the exec put back out of
  /// \p Environment again (the process's environ).
  static void restore(char **Environment, uint32_t Added);

  /// Walks an exec's environment array \p Envp (the caller's memory):
  /// \p Visit(Index, Entry) for each entry, a pointer into the caller's
  /// memory. The number of entries, or -1 if the array cannot be read
  /// (the exec's own EFAULT is then the host's to give).
  template <typename VisitFn>
  static long forEachEntry(long Envp, VisitFn Visit) {
    auto *Env = reinterpret_cast<const long *>(Envp);
    long Count = 0;
    for (; Env && Count < (1 << 20); ++Count) {
      long Word;
      if (UserMemory::copyIn(&Word, Env + Count, sizeof(Word)) < 0)
        return -1;
      if (!Word)
        break;
      Visit(Count, Word);
    }
    return Count;
  }
};

} // namespace k42::personality

#endif // K42_PERSONALITY_EXECENVIRONMENT_H
