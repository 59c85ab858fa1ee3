//===- k42/personality/FileState.h - Files across exec ---------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A host exec replaces the memory that holds the descriptor table, the
/// current directory and the umask, while the placeholders of K42
/// descriptors stay open. Just before an exec the personality writes them
/// to a memfd at a fixed descriptor (1009, inherited); the new program's
/// personality reads it at start and re-opens each file lazily, by path,
/// as a forked child does.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_FILESTATE_H
#define K42_PERSONALITY_FILESTATE_H

#include <cstdint>

namespace k42::personality {

struct OpenFile;

/// The file state handed across exec.
class FileState {
public:
  /// Writes the snapshot (execve, just before the host call). \p K42Program:
  /// the K42 path of a program only K42 has (hostImage's 2), which the new
  /// image names as its /proc/self/exe where the host names the copy's
  /// memfd; \p Comm, the name Linux gives the process for the path the
  /// caller named, which the new image takes where the host's exec of the
  /// copy named it "1008" (the memfd's /proc/self/fd name).
  static void beforeExec(const char *K42Program = nullptr,
                         const char *Comm = nullptr);
  /// Drops the snapshot when the exec failed.
  static void execFailed();
  /// Before a fork: the current directory as its server says it now
  /// (another process may have renamed it since this one last looked), so
  /// that the child starts where this process is, as the host's fork
  /// gives it the same folder. A load when nothing moved.
  static void beforeFork();
  /// Reads a snapshot left by the exec that started this program, if any.
  /// Call once, at start, before the process is armed.
  static void start();
  /// start()'s reading of the snapshot: false if there is none; else true
  /// and the program's RLIMIT_NOFILE {soft, hard} in \p Limit[0..1], its
  /// RLIMIT_AS {soft, hard} (AsLimit) in \p Limit[2..3].
  static bool startFiles(uint64_t (&Limit)[4]);
  /// For execve: where the host finds the program \p UserPath names. The
  /// host's own path (0: the call's as it is; 1: \p HostPath, absolute,
  /// when K42 serves the very host file, as hostfs does); or, for a file
  /// only K42 has (a program compiled into K42's /tmp), a copy in a memfd
  /// at descriptor ImageFd, and \p HostPath names it (2), and \p K42Path
  /// (if given, PATH_MAX bytes) gets the program's K42 path (symlinks
  /// followed: a program started through a link is the file), which a
  /// static program k42-exec loads from the copy answers for its
  /// /proc/self/exe. A negated errno if K42 cannot read it.
  static long hostImage(long UserPath, char *HostPath, char *K42Path = nullptr);
  /// K42 file \p Abs (absolute, normalised) as a host descriptor, for the
  /// host to read or map where only K42 has the file (a program, the
  /// libraries it needs: LibraryExport): with \p Share, ramfs's memfd of
  /// the file itself (read-only: a library's pages shared as Linux shares
  /// a file's, and as on Linux a library rewritten in place under its
  /// users faults them); else, or from a server whose files are not
  /// memory, a copy in a new memfd named \p Name (and, with \p Named, the
  /// file's path after it where it fits: DevFd::ImageName). For the caller to
  /// move where it needs it (dup2, F_DUPFD). With \p Canonical (PathBytes), the
  /// file's own path there, every symlink followed (Linux's /proc/self/exe
  /// of a program, the folder $ORIGIN names). Its descriptor, or a
  /// negated errno.
  static long copyToMemfd(const char *Abs, const char *Name, bool Share,
                          char *Canonical = nullptr, bool Named = false);
  /// Drops a reference to \p File (a posix_spawn child's view held it),
  /// closing it with the last.
  static void releaseFile(OpenFile *File);
  /// The copy's descriptor, inherited by the new program (a script's
  /// interpreter reads it by /proc/self/fd).
  static constexpr long ImageFd = 1008;
};

} // namespace k42::personality

#endif // K42_PERSONALITY_FILESTATE_H
