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
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_OWNMEMFD_H
#define K42_PERSONALITY_OWNMEMFD_H

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
  /// ftruncate(\p Fd, \p Bytes) for a memfd the personality made: 0 or a
  /// negated errno, never SIGXFSZ. -EFBIG when the limit forbids it and no
  /// pipe server answers, or past MaxBytes. Not with PipeClient's lock
  /// held (PipeClient::create sizes its ring itself).
  static long size(long Fd, uint64_t Bytes);
};

} // namespace k42::personality

#endif
