//===- k42/personality/HostSymlinks.h - Host links into K42 -----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A symlink in a host folder may name a path under one of K42's names
/// (`ln -s /tmp/out /work/w/out` made in K42: /tmp is K42's). The host
/// resolves such a path itself, in its own name space, and reached the
/// host's /tmp: a read found the host's file, a write changed it. So a
/// host path call first asks the host whether any symlink is on the way
/// (one openat2 with RESOLVE_NO_SYMLINKS, closed again); only where one
/// is, the path is walked here, each symlink read and followed as the
/// kernel follows it, and where the walk comes to one of K42's names the
/// rest of the path is K42's to resolve. The reverse of a K42 symlink
/// that leads out of K42 (FsBridge::LeftK42).
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_HOSTSYMLINKS_H
#define K42_PERSONALITY_HOSTSYMLINKS_H

namespace k42::personality {

/// Host paths whose symlinks lead into K42's names.
class HostSymlinks {
public:
  /// Whether host path \p Path (absolute, or relative to the host folder
  /// \p DirFd: AT_FDCWD for the current directory) reaches one of K42's
  /// names through a symlink on the host, its last component's too when
  /// \p FollowLast. If so, the K42 path it reaches, normalised
  /// (FsBridge::normalize), into \p Out (PathBytes; it may be \p Path).
  /// Paths under the host-only prefixes (/proc, /dev, /sys, /run) are
  /// never asked about: their links are the host's own.
  static bool intoK42(long DirFd, const char *Path, bool FollowLast, char *Out);
};

} // namespace k42::personality

#endif // K42_PERSONALITY_HOSTSYMLINKS_H
