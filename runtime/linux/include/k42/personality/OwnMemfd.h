//===- k42/personality/OwnMemfd.h - Sizing own memfds -----------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The personality keeps state of its own in memfds it makes in the
/// program's process (a pipe's ring, an open file description). Growing a
/// file is subject to the process's RLIMIT_FSIZE, which is the program's:
/// after `ulimit -f 100` in bash, sizing a pipe's ring (1 MiB and a page)
/// would raise SIGXFSZ and kill the shell at its first pipe. Such a memfd
/// is sized here: by the process itself when its limit allows, else by the
/// pipe server, which has no such limit. The program's own writes keep the
/// limit exactly as natively.
///
/// The limit is read once per process and kept (a K42 file's open sizes a
/// description each time): the program's setrlimit/prlimit64 of it says
/// so (limitSet()), and from then on it is read at each use, as before,
/// since a process sharing this memory (posix_spawn's child, a clone with
/// CLONE_VM) may have set its own. An exec carries the kept limit to the
/// new image. Another process's prlimit64 of this one is not seen, as
/// with RLIMIT_NOFILE (FdLimit).
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_OWNMEMFD_H
#define K42_PERSONALITY_OWNMEMFD_H

#include <cstddef>
#include <cstdint>

namespace k42::personality {

/// Sizes memfds of the personality's own, whatever the program's
/// RLIMIT_FSIZE.
class OwnMemfd {
public:
  /// The largest size the pipe server grows a memfd to for a process
  /// (PipeClient::grow): a pipe's ring, the largest of the personality's.
  static constexpr uint64_t MaxBytes = 4096 + (1u << 20);

  /// True when the program's RLIMIT_FSIZE lets the process make a file
  /// \p Bytes long itself.
  static bool fits(uint64_t Bytes);
  /// The program's RLIMIT_FSIZE soft limit (RLIM_INFINITY: none), read
  /// from the host once and kept until the program sets it: what a write
  /// or a size change of a K42 file is checked against, as Linux checks
  /// its own files (SIGXFSZ and EFBIG past it).
  static uint64_t limit();
  /// The program set its RLIMIT_FSIZE (or may have: called after the
  /// host's call, whatever it answered): the kept value is not used again.
  static void limitSet();
  /// True, with the limit kept in \p Soft, when the process reads it no
  /// more (what an exec carries to the new image).
  static bool known(uint64_t &Soft);
  /// Keeps \p Soft as the limit, read by this image (fits) or by the
  /// previous image of this process (exec keeps RLIMIT_FSIZE), unless the
  /// limit is already kept or the program has set it.
  static void keep(uint64_t Soft);
  /// ftruncate(\p Fd, \p Bytes) for a memfd the personality made: 0 or a
  /// negated errno, never SIGXFSZ. -EFBIG when the limit forbids it and no
  /// pipe server answers, or past MaxBytes. Not with PipeClient's lock
  /// held (PipeClient::create sizes its ring itself).
  static long size(long Fd, uint64_t Bytes);
  /// pwrite(\p Fd, \p Bytes, \p Length, \p At) for a memfd the
  /// personality made (the exec state, the pipe ends' state): \p Length
  /// or a negated errno, never SIGXFSZ. Where the program's limit would
  /// refuse the write, the memfd is sized (size()) and written through a
  /// mapping, which the limit does not apply to (`ulimit -f 1` in a shell
  /// killed every program it ran, at its exec's state).
  static long write(long Fd, const void *Bytes, size_t Length, uint64_t At);
  /// Moves memfd \p Fd (made close-on-exec) to fixed number \p Target,
  /// kept across exec: the exec's states at 1007-1009, the image at 1008,
  /// a cwd at 1023. A program holding a thousand descriptors leaves the
  /// lowest free number at one of them, where the memfd was made: a dup2
  /// onto itself and a close then lost it (a posix_spawn child's pipe
  /// ends, handed on as raw placeholders).
  static void moveTo(long Fd, long Target);
  /// A file of the personality's making that a program opens as one of
  /// the kernel's read-only text files (/proc/self/fdinfo/N of a K42
  /// descriptor, /proc/self/mountinfo): a memfd named \p Name holding
  /// \p Length \p Bytes, sealed, opened again for reading at the lowest
  /// free number (close-on-exec with O_CLOEXEC in \p OpenFlags) as the
  /// program's open would place it. The descriptor, or a negated errno.
  static long readOnlyFile(const char *Name, const void *Bytes, size_t Length,
                           long OpenFlags);
};

} // namespace k42::personality

#endif
