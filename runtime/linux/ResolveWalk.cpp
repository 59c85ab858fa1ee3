//===- runtime/linux/ResolveWalk.cpp - openat2's RESOLVE_* ----------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/ResolveWalk.h"

#include "k42/personality/FsBridge.h"
#include "k42/personality/GateHeap.h"

#include "FsTypes.h"

#include <cerrno>
#include <cstring>

#include <linux/openat2.h>
#include <sys/stat.h>

using namespace k42::personality;

namespace {

constexpr size_t PathBytes = k42::fs::PathMax + 1;

/// The walk's state: where it is, what is left, its scope.
struct Walk {
  char Cur[PathBytes];
  /// The components still to walk, a symlink's text put before the rest.
  char Left[2 * PathBytes];
  /// The folder RESOLVE_BENEATH and RESOLVE_IN_ROOT keep the walk in ("/"
  /// for neither).
  char Root[PathBytes];
  uint64_t Resolve;
  uint64_t StartDev;
  unsigned Links = 0;
};

bool scoped(const Walk &W) {
  return W.Resolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT);
}

/// The walk goes to its root: for an absolute path or symlink text.
long toRoot(Walk &W) {
  if (W.Resolve & RESOLVE_BENEATH)
    return -EXDEV;
  if (W.Resolve & RESOLVE_IN_ROOT) {
    std::strcpy(W.Cur, W.Root);
    return 0;
  }
  std::strcpy(W.Cur, "/");
  if (W.Resolve & RESOLVE_NO_XDEV) {
    k42::fs::FileAttr Attr;
    if (FsBridge::stat("/", false, Attr) != 0 || Attr.Dev != W.StartDev)
      return -EXDEV;
  }
  return 0;
}

/// One step up: "..".
long up(Walk &W) {
  if (std::strcmp(W.Cur, W.Root) == 0) {
    if (W.Resolve & RESOLVE_BENEATH)
      return -EXDEV;
    return 0; // the root's ".." is the root (RESOLVE_IN_ROOT too)
  }
  char *Slash = std::strrchr(W.Cur, '/');
  if (Slash == W.Cur)
    Slash[1] = 0;
  else
    *Slash = 0;
  if (W.Resolve & RESOLVE_NO_XDEV) {
    k42::fs::FileAttr Attr;
    if (FsBridge::stat(W.Cur, false, Attr) != 0 || Attr.Dev != W.StartDev)
      return -EXDEV;
  }
  return 0;
}

/// Puts \p Text before what is left of the walk.
long prepend(Walk &W, const char *Text, size_t Length) {
  size_t Rest = std::strlen(W.Left);
  size_t Gap = Rest ? 1 : 0; // a slash between, none after the last
  if (Length + Gap + Rest + 1 > sizeof(W.Left))
    return -ENAMETOOLONG;
  std::memmove(W.Left + Length + Gap, W.Left, Rest + 1);
  std::memcpy(W.Left, Text, Length);
  if (Gap)
    W.Left[Length] = '/';
  return 0;
}

} // namespace

long ResolveWalk::resolve(const char *Start, const char *Path,
                          uint64_t Resolve, bool FollowLast, char *Out) {
  // Nothing here is a cache Linux's RESOLVE_CACHED could be answered from:
  // the caller asks again without it (io_uring's way).
  if (Resolve & RESOLVE_CACHED)
    return -EAGAIN;
  // Not on the stack: two paths' room and more.
  auto *W = GateHeap::make<Walk>();
  if (!W)
    return -ENOMEM;
  struct Free {
    Walk *W;
    ~Free() { GateHeap::destroy(W); }
  } Guard{W};
  W->Resolve = Resolve;
  size_t StartLength = std::strlen(Start);
  while (StartLength > 1 && Start[StartLength - 1] == '/')
    --StartLength; // "/tmp/d/" is "/tmp/d"
  if (StartLength + 1 > PathBytes)
    return -ENAMETOOLONG;
  std::memcpy(W->Cur, Start, StartLength);
  W->Cur[StartLength] = 0;
  std::strcpy(W->Root, scoped(*W) ? W->Cur : "/");
  k42::fs::FileAttr Attr;
  if (long E = FsBridge::stat(Start, true, Attr); E != 0)
    return E;
  W->StartDev = Attr.Dev;
  size_t Length = std::strlen(Path);
  if (Length + 1 > sizeof(W->Left))
    return -ENAMETOOLONG;
  std::memcpy(W->Left, Path, Length + 1);
  if (Path[0] == '/')
    if (long E = toRoot(*W); E != 0)
      return E;
  char *Next = W->Left;
  for (;;) {
    while (*Next == '/')
      ++Next;
    if (!*Next)
      break;
    char *End = std::strchr(Next, '/');
    size_t NameLength = End ? size_t(End - Next) : std::strlen(Next);
    char Name[k42::fs::NameMax + 1];
    if (NameLength > k42::fs::NameMax)
      return -ENAMETOOLONG;
    std::memcpy(Name, Next, NameLength);
    Name[NameLength] = 0;
    Next += NameLength;
    // A trailing slash asks for a folder, and follows a last symlink.
    const char *After = Next;
    while (*After == '/')
      ++After;
    bool Last = !*After;
    bool Follow = !Last || FollowLast || *Next == '/';
    if (std::strcmp(Name, ".") == 0)
      continue;
    if (std::strcmp(Name, "..") == 0) {
      if (long E = up(*W); E != 0)
        return E;
      continue;
    }
    size_t CurLength = std::strlen(W->Cur);
    bool AtSlash = CurLength == 1;
    if (CurLength + !AtSlash + NameLength + 1 > PathBytes)
      return -ENAMETOOLONG;
    char Here[PathBytes];
    std::memcpy(Here, W->Cur, CurLength);
    size_t At = CurLength;
    if (!AtSlash)
      Here[At++] = '/';
    std::memcpy(Here + At, Name, NameLength + 1);
    if (!FsBridge::isK42Path(Here))
      return -EXDEV; // the host's names: another file system
    long E = FsBridge::stat(Here, false, Attr);
    if (E == -ENOENT && Last) {
      // An open that may create it; a trailing slash kept (open's
      // EISDIR for O_CREAT, ENOENT else).
      if (*Next == '/' && At + NameLength + 1 < PathBytes)
        std::memcpy(Here + At + NameLength, "/", 2);
      std::strcpy(W->Cur, Here);
      break;
    }
    if (E != 0)
      return E;
    if ((Resolve & RESOLVE_NO_XDEV) && Attr.Dev != W->StartDev)
      return -EXDEV;
    if (S_ISLNK(Attr.Mode) && Follow) {
      if (Resolve & RESOLVE_NO_SYMLINKS)
        return -ELOOP;
      if (++W->Links > k42::fs::SymlinkMax)
        return -ELOOP;
      char Text[PathBytes];
      long Got = FsBridge::readlink(Here, Text, sizeof(Text) - 1);
      if (Got < 0)
        return Got;
      if (Got == 0)
        return -ENOENT; // an empty symlink names nothing
      // What is left goes after the link's text, from the folder it is in.
      size_t Rest = std::strlen(Next);
      std::memmove(W->Left, Next, Rest + 1);
      Next = W->Left;
      if (long P = prepend(*W, Text, size_t(Got)); P != 0)
        return P;
      if (Text[0] == '/')
        if (long R = toRoot(*W); R != 0)
          return R;
      continue;
    }
    if (!S_ISDIR(Attr.Mode) && (!Last || *Next == '/'))
      return -ENOTDIR;
    std::strcpy(W->Cur, Here);
  }
  std::strcpy(Out, W->Cur);
  return 0;
}
