//===- k42/personality/PathWalk.h - A lookup, a name at a time --*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Where the personality walks a path itself, as Linux's lookup walks it
/// (a host path whose symlinks may lead into K42's names: HostSymlinks;
/// openat2's RESOLVE_* rules on K42's names: ResolveWalk), the walking is
/// this: the components in turn ('.' and '..' told apart, whether another
/// follows, whether a slash does), the folder reached so far, and a
/// symlink's text put before what is left, at most SymlinkMax links a
/// lookup. What each name is (the host's lstat, or a server's) and the
/// rules are the caller's.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_PATHWALK_H
#define K42_PERSONALITY_PATHWALK_H

#include <cstddef>

namespace k42::personality {

/// One name of the path being walked.
struct PathComponent {
  const char *Name = nullptr;
  size_t Length = 0;
  /// What follows the name in the walk's text: empty, or from its slash.
  const char *Rest = nullptr;
  /// No name follows (only slashes, if anything).
  bool Last = false;

  bool isDot() const { return Length == 1 && Name[0] == '.'; }
  bool isDotDot() const {
    return Length == 2 && Name[0] == '.' && Name[1] == '.';
  }
  /// A slash follows: the name must be a folder, and a symlink there is
  /// followed even when it is the last.
  bool slashAfter() const { return *Rest == '/'; }
};

/// The state of one walk (large: two paths' room; made on the GateHeap).
class PathWalk {
public:
  static constexpr size_t PathBytes = 4096;

  /// Starts a walk of \p Path from folder \p From (absolute; "/" the
  /// root; a trailing slash dropped). 0 or -ENAMETOOLONG.
  long start(const char *From, const char *Path);

  /// The next name into \p C; false when none is left.
  bool next(PathComponent &C);

  /// The folder reached (or, after enter(), the name entered): an
  /// absolute path, "/" at the root.
  const char *at() const { return Cur; }
  bool atRoot() const { return Cur[0] == '/' && !Cur[1]; }

  /// Goes on to name \p C (not '.' or '..'). -ENAMETOOLONG.
  long enter(const PathComponent &C);

  /// One name back: '..' (the root's is the root), or out of a name
  /// entered that turned out to be a symlink.
  void leave();

  /// To folder \p To (absolute): an absolute symlink's or path's root.
  long jumpTo(const char *To);

  /// Ends the path reached with a slash: a last name not there yet that
  /// must be made a folder (open's EISDIR for O_CREAT). -ENAMETOOLONG.
  long keepSlash();

  /// Follows the symlink just left, whose text is \p Text (\p Length
  /// bytes): the walk goes on with the text before what was left after
  /// the link's name \p C. The caller goes to the root first when the text
  /// is absolute. -ELOOP past SymlinkMax links, -ENOENT for an empty
  /// text (it names nothing), -ENAMETOOLONG.
  long follow(const PathComponent &C, const char *Text, size_t Length);

private:
  char Cur[PathBytes];
  /// What is left to walk, a symlink's text put before the rest.
  char Left[2 * PathBytes];
  const char *Next = Left;
  unsigned Links = 0;
};

} // namespace k42::personality

#endif // K42_PERSONALITY_PATHWALK_H
