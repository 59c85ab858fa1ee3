//===- runtime/linux/PathWalk.cpp - A lookup, a name at a time ------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/PathWalk.h"

#include "FsTypes.h"

#include <cerrno>
#include <cstring>

using namespace k42::personality;

static_assert(PathWalk::PathBytes == k42::fs::PathMax + 1);

long PathWalk::start(const char *From, const char *Path) {
  Links = 0;
  if (jumpTo(From) != 0)
    return -ENAMETOOLONG;
  size_t Length = std::strlen(Path);
  if (Length + 1 > sizeof(Left))
    return -ENAMETOOLONG;
  std::memcpy(Left, Path, Length + 1);
  Next = Left;
  return 0;
}

bool PathWalk::next(PathComponent &C) {
  while (*Next == '/')
    ++Next;
  if (!*Next)
    return false;
  const char *End = Next;
  while (*End && *End != '/')
    ++End;
  C.Name = Next;
  C.Length = size_t(End - Next);
  C.Rest = End;
  const char *After = End;
  while (*After == '/')
    ++After;
  C.Last = !*After;
  Next = End;
  return true;
}

long PathWalk::enter(const PathComponent &C) {
  size_t Length = std::strlen(Cur);
  bool Root = Length == 1;
  if (Length + !Root + C.Length + 1 > sizeof(Cur))
    return -ENAMETOOLONG;
  if (!Root)
    Cur[Length++] = '/';
  std::memcpy(Cur + Length, C.Name, C.Length);
  Cur[Length + C.Length] = 0;
  return 0;
}

void PathWalk::leave() {
  char *Slash = std::strrchr(Cur, '/');
  if (Slash == Cur)
    Slash[1] = 0;
  else if (Slash)
    *Slash = 0;
}

long PathWalk::jumpTo(const char *To) {
  size_t Length = std::strlen(To);
  while (Length > 1 && To[Length - 1] == '/')
    --Length; // "/tmp/d/" is "/tmp/d"
  if (Length + 1 > sizeof(Cur))
    return -ENAMETOOLONG;
  std::memmove(Cur, To, Length);
  Cur[Length] = 0;
  return 0;
}

long PathWalk::keepSlash() {
  size_t Length = std::strlen(Cur);
  if (Length + 2 > sizeof(Cur))
    return -ENAMETOOLONG;
  std::memcpy(Cur + Length, "/", 2);
  return 0;
}

long PathWalk::follow(const PathComponent &C, const char *Text, size_t Length) {
  if (++Links > k42::fs::SymlinkMax)
    return -ELOOP;
  if (Length == 0)
    return -ENOENT;
  // Text, then what followed the link's name (its slash kept: a trailing
  // one still asks for a folder).
  size_t Rest = std::strlen(C.Rest);
  if (Length + Rest + 1 > sizeof(Left))
    return -ENAMETOOLONG;
  std::memmove(Left + Length, C.Rest, Rest + 1);
  std::memcpy(Left, Text, Length);
  Next = Left;
  return 0;
}
