//===- k42/personality/LibraryExport.h - K42 libraries for ld.so -*- C++ -*-=//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The shared libraries a new image needs from K42's files, handed to its
/// loader. ld.so maps a program's DT_NEEDED libraries before any of their
/// code runs, the personality's included, so its opens go to the host,
/// where K42's /tmp and /home do not exist: a program linked against a
/// library it was built beside in K42's files (a CMake build tree, `make
/// check`) stopped with "error while loading shared libraries". Before
/// such an exec, the personality (still running in the old image) walks
/// the search ld.so will make, for each name with the library's own
/// DT_RPATH, LD_LIBRARY_PATH and DT_RUNPATH ($ORIGIN expanded to the K42
/// folder the object is in); a name whose first match is a K42 file is
/// opened as a host descriptor kept across the exec (ramfs's memfd of the
/// file, FileState::copyToMemfd), named in a host folder of
/// symlinks (`<system folder>/libs/<host pid>/<name>` ->
/// `/proc/self/fd/<n>`), and that folder goes first in the
/// LD_LIBRARY_PATH the exec passes. The new image's personality takes the
/// folder out of LD_LIBRARY_PATH again (the program sees the variable it
/// was given), closes the memfds (ld.so has mapped them) and removes the
/// folder. Libraries found on the host first are the host's to load.
/// LD_PRELOAD's K42 entries are handed on the same way, a path renamed to
/// the folder's for the exec (and given back after), a bare name searched
/// as the program's need.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_LIBRARYEXPORT_H
#define K42_PERSONALITY_LIBRARYEXPORT_H

namespace k42::personality {

/// K42-resident libraries handed to ld.so across an exec.
class LibraryExport {
public:
  /// Libraries handed on at most by one exec (more: the rest are left to
  /// ld.so, which does not find them).
  static constexpr unsigned MaxLibraries = 32;

  /// Before an exec of the program at host path \p Image (what the host
  /// or the overlay will open: the program itself or its memfd copy; the
  /// caller's string, copied only if it is looked at),
  /// whose K42 path is \p K42Program (null for a program of the host's),
  /// with environment \p Envp (the one the exec passes): \p Envp, or a
  /// copy whose LD_LIBRARY_PATH names the folder of the K42 libraries the
  /// program needs at start (until execFailed()). Only a K42 program, an
  /// LD_LIBRARY_PATH naming a K42 folder or an LD_PRELOAD naming more than
  /// the personality's library makes it look.
  ///
  /// The host's ld.so run as a program (`ldd`, `ld.so --list`, `ld.so
  /// --verify`, `ld.so PROGRAM ARGS`) opens the program it is given
  /// itself, on the host: when \p Image is that ld.so and the program
  /// argument in \p Argv names a K42 ELF file, the file is handed on too
  /// (under its own name in the folder, its libraries searched as a
  /// program's) and \p Argv becomes a copy naming it there, with
  /// `--argv0` giving the program the name it was given (until
  /// execFailed()).
  static long prepare(long Image, const char *K42Program, long &Argv,
                      long Envp);

  /// Whether the exec of \p Image with arguments \p Argv runs the host's
  /// ld.so to list a program's libraries (`ld.so --list`), which it does
  /// before any of the personality could run: its LD_PRELOAD is then
  /// passed without the personality's library, as ldd's is
  /// (ExecEnvironment::prepare), so the list is the program's own.
  static bool listsOnly(long Image, long Argv);
  /// After an exec that failed: the memfds, the folder and the copy go.
  static void execFailed();

  /// In the new image, before anything reads the environment: if the exec
  /// handed libraries on, \p Environment (the process's environ) gets its
  /// LD_LIBRARY_PATH back as the program gave it, and the memfds and
  /// folder go.
  static void start(char **Environment);

  /// What a dlopen of a bare name searches besides LD_LIBRARY_PATH (as
  /// ld.so orders it), read from the caller's link map: null where it has
  /// none.
  struct DlopenCaller {
    /// The caller's DT_RPATH, when it has no DT_RUNPATH.
    const char *RPath = nullptr;
    /// The program's DT_RPATH (a library caller's loader chain), when the
    /// program has no DT_RUNPATH.
    const char *ProgramRPath = nullptr;
    /// The caller's DT_RUNPATH.
    const char *RunPath = nullptr;
    /// The folders $ORIGIN names in the caller's lists and the program's.
    const char *Origin = nullptr;
    const char *ProgramOrigin = nullptr;
  };

  /// For a dlopen of \p Name (no '/') by \p Caller: ld.so searched its
  /// lists at start, before the personality ran, so it took their K42
  /// folders for missing (LD_LIBRARY_PATH=/tmp/build/lib), and a $ORIGIN of
  /// a K42 program for the host's "/". The path, as the list spells it, of
  /// the K42 file its search would have found first, into \p Out
  /// (PathBytes); false when a host folder has the name first, or no
  /// folder has it (ld.so's own search, from the caller, is right then).
  static bool dlopenPath(const char *Name, const DlopenCaller &Caller,
                         char *Out);

  /// Whether \p Name (a link map's name) is one of the libraries an exec
  /// handed on under the folder start() removed: its $ORIGIN is not known.
  static bool handedOn(const char *Name);

private:
  static void startHandedOn(char **Environment);
};

} // namespace k42::personality

#endif // K42_PERSONALITY_LIBRARYEXPORT_H
