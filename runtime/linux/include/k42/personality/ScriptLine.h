//===- k42/personality/ScriptLine.h - A script's #! line -------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The `#!` line of a script read as Linux's binfmt_script reads it, so that
/// the exec overlay runs a script's interpreter with the argv the host's
/// exec would give it. Freestanding: no libc call, no allocation (it runs
/// inside the execve handler).
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_SCRIPTLINE_H
#define K42_PERSONALITY_SCRIPTLINE_H

#include <cstddef>

namespace k42::personality {

/// The interpreter and its optional argument named by a script's first
/// line.
class ScriptLine {
public:
  /// How much of the file Linux reads for the line (BINPRM_BUF_SIZE): an
  /// interpreter's name that does not end within it is refused, an
  /// argument that does not is cut.
  static constexpr size_t BufferBytes = 256;
  /// How many scripts may run one another before the ELF program (Linux
  /// answers ELOOP for a sixth).
  static constexpr int MaxDepth = 5;

  /// Whether a file starting with \p Head (\p Length bytes) is a script.
  static bool isScript(const char *Head, size_t Length);

  /// Reads the line from the file's first \p Length bytes at \p Head
  /// (bytes past \p Length count as zeros, as in Linux's buffer of a short
  /// file). 0 with name() (and arg(), or null) set, or -ENOEXEC where
  /// Linux's binfmt_script refuses the line: no `#!`, no interpreter, or
  /// one whose name may have been cut by the buffer's end.
  long parse(const char *Head, size_t Length);

  /// The interpreter's path, NUL-terminated (spaces and tabs around it
  /// dropped; a carriage return is part of it, as on Linux).
  const char *name() const { return Name; }
  /// The argument: everything after the name's first space or tab up to
  /// the line's end, leading and trailing spaces and tabs dropped; null
  /// if there is none.
  const char *arg() const { return Arg; }

private:
  char Line[BufferBytes + 1] = {};
  const char *Name = nullptr;
  const char *Arg = nullptr;
};

} // namespace k42::personality

#endif // K42_PERSONALITY_SCRIPTLINE_H
