//===- k42/personality/ResolveWalk.h - openat2's RESOLVE_* ------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// openat2's restrictions on a lookup (RESOLVE_NO_SYMLINKS, _NO_XDEV,
/// _BENEATH, _IN_ROOT, _NO_MAGICLINKS, _CACHED) for a path that starts in
/// one of K42's folders. K42's servers walk a path whole, so the lookup is
/// made here a component at a time, as Linux's path walk makes it: each
/// name looked at (lstat) and each symlink read and followed by the
/// personality, the restrictions checked on the way; the open then names
/// the file the walk found, with nothing left to follow. A rename between
/// the walk and the open may still move a name under it (a server-side
/// walk with these rules would close that gap).
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_RESOLVEWALK_H
#define K42_PERSONALITY_RESOLVEWALK_H

#include <cstddef>
#include <cstdint>

namespace k42::personality {

/// One openat2 lookup under RESOLVE_* rules.
class ResolveWalk {
public:
  /// Resolves \p Path (the caller's, copied in) from folder \p Start (an
  /// absolute K42 path: the descriptor's or the current directory) under
  /// \p Resolve's rules into \p Out (PathBytes): every symlink followed
  /// but a last one when not \p FollowLast. 0, or Linux's negated errno:
  /// ELOOP (a symlink under RESOLVE_NO_SYMLINKS, or 40 followed), EXDEV
  /// (a way out of \p Start under RESOLVE_BENEATH, another file system
  /// under RESOLVE_NO_XDEV, the host's names), EAGAIN (RESOLVE_CACHED:
  /// nothing is cached here), ENOENT, ENOTDIR, ENAMETOOLONG.
  static long resolve(const char *Start, const char *Path, uint64_t Resolve,
                      bool FollowLast, char *Out);
};

} // namespace k42::personality

#endif // K42_PERSONALITY_RESOLVEWALK_H
