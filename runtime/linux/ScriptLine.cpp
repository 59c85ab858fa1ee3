//===- runtime/linux/ScriptLine.cpp - A script's #! line ------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// load_script() of Linux's fs/binfmt_script.c (5.1 and later), rule for
/// rule, on a copy of the file's first BINPRM_BUF_SIZE bytes.
///
//===----------------------------------------------------------------------===//

#include "k42/personality/ScriptLine.h"

#include <cerrno>

using namespace k42::personality;

namespace {

bool spaceTab(char C) { return C == ' ' || C == '\t'; }

/// The first byte in [First, Last] that is not a space or tab, or null.
char *nextNonSpaceTab(char *First, char *Last) {
  for (; First <= Last; ++First)
    if (!spaceTab(*First))
      return First;
  return nullptr;
}

/// The first space, tab or NUL in [First, Last], or null.
char *nextTerminator(char *First, char *Last) {
  for (; First <= Last; ++First)
    if (spaceTab(*First) || !*First)
      return First;
  return nullptr;
}

} // namespace

bool ScriptLine::isScript(const char *Head, size_t Length) {
  return Length >= 2 && Head[0] == '#' && Head[1] == '!';
}

long ScriptLine::parse(const char *Head, size_t Length) {
  Name = Arg = nullptr;
  if (!isScript(Head, Length))
    return -ENOEXEC;
  size_t Bytes = Length < BufferBytes ? Length : BufferBytes;
  for (size_t I = 0; I < BufferBytes; ++I)
    Line[I] = I < Bytes ? Head[I] : 0;
  Line[BufferBytes] = 0;
  char *BufEnd = Line + BufferBytes - 1;
  char *End = nullptr;
  for (char *C = Line; C <= BufEnd; ++C)
    if (*C == '\n') {
      End = C;
      break;
    }
  if (!End) {
    // No newline: the name must end (space, tab or NUL) within the
    // buffer, or it may have been cut.
    End = nextNonSpaceTab(Line + 2, BufEnd);
    if (!End || !nextTerminator(End, BufEnd))
      return -ENOEXEC;
    End = BufEnd;
  }
  while (spaceTab(End[-1]))
    --End;
  char *NameAt = nextNonSpaceTab(Line + 2, End);
  if (!NameAt || NameAt == End)
    return -ENOEXEC;
  char *Sep = nextTerminator(NameAt, End);
  char *ArgAt = nullptr;
  if (Sep && *Sep != 0)
    ArgAt = nextNonSpaceTab(Sep, End);
  *End = 0;
  if (ArgAt)
    *Sep = 0;
  Name = NameAt;
  // An argument of spaces only ends at the line's end: empty, as Linux's.
  Arg = ArgAt;
  return 0;
}
