//===- k42/personality/AsLimit.h - The program's RLIMIT_AS ------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The program's address-space limit (RLIMIT_AS, `ulimit -v`), kept in the
/// process. Every channel the personality maps is a 2 GiB region (its 64
/// slots' bulk windows of 32 MiB each, BulkWindow.h), mostly never touched
/// but counted by the host's limit all the same: a process under the
/// personality has 2-8 GiB of address space before its program maps
/// anything, and a program's limit of 200 MB set on the host failed every
/// allocation, and the pipe and file writes whose channel was still to be
/// mapped. So the program's limit is this object's, and the host's soft
/// limit is the program's plus the channels mapped, moved at each map and
/// unmap while the program's limit is finite; the host's hard limit is the
/// program's plus room for channels to come (ChannelRoom). Inherited by
/// fork through memory (a child counts only the channels it gets),
/// handed across exec in the exec state (FileState).
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_ASLIMIT_H
#define K42_PERSONALITY_ASLIMIT_H

#include <cstdint>

namespace k42::personality {

/// One process's RLIMIT_AS as its program sees it.
class AsLimit {
public:
  /// Address space above the program's hard limit that the host's hard
  /// limit leaves for channels mapped later (eight), since a process
  /// without CAP_SYS_RESOURCE cannot raise it again.
  static constexpr uint64_t ChannelRoom = uint64_t(16) << 30;

  /// At start, before the program runs: the program's limit is
  /// \p FromExec ({soft, hard}, what the previous program of this process
  /// had) or, with none, the host's as the process found it; the host's
  /// soft limit then becomes the program's plus the channels mapped so
  /// far.
  static void start(const uint64_t *FromExec);
  /// Writes the program's {soft, hard} into \p Out.
  static void get(uint64_t *Out);
  /// setrlimit's rules for the program's new \p Soft and \p Hard (EINVAL
  /// soft above hard; EPERM raising the hard limit without
  /// CAP_SYS_RESOURCE), the host's limit moved along. 0 or a negated
  /// errno.
  static long set(uint64_t Soft, uint64_t Hard);
  /// Whether the program's limit is finite, which the exec state must then
  /// carry: the host's is not the program's.
  static bool differsFromHost();
  /// Before the personality maps \p Bytes for a channel: the host's soft
  /// limit is raised by as much (when the program's is finite), so the
  /// program's own room stays what its limit says.
  static void willMap(uint64_t Bytes);
  /// \p Bytes mapped (willMap()) that fork children get too (a channel
  /// they watch; the others are MADV_DONTFORK).
  static void keptByChildren(uint64_t Bytes);
  /// After \p Bytes of a channel are unmapped (\p KeptByChildren: counted
  /// by keptByChildren()): the host's soft limit comes down by as much.
  static void unmapped(uint64_t Bytes, bool KeptByChildren);
  /// In a fork child: only the channels children keep are in its memory.
  static void forked();
};

} // namespace k42::personality

#endif // K42_PERSONALITY_ASLIMIT_H
