//===- runtime/linux/ResolveWalk.cpp - openat2's RESOLVE_* ----------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/ResolveWalk.h"

#include "k42/personality/FsBridge.h"
#include "k42/personality/GateHeap.h"
#include "k42/personality/PathWalk.h"

#include "FsTypes.h"

#include <cerrno>
#include <cstring>

#include <linux/openat2.h>
#include <sys/stat.h>

using namespace k42::personality;

namespace {

constexpr size_t PathBytes = PathWalk::PathBytes;

/// The walk and its scope.
struct Walk {
  PathWalk Path;
  /// The folder RESOLVE_BENEATH and RESOLVE_IN_ROOT keep the walk in ("/"
  /// for neither).
  char Root[PathBytes];
  /// A symlink's text.
  char Text[PathBytes];
  uint64_t Resolve;
  uint64_t StartDev;
};

bool scoped(const Walk &W) {
  return W.Resolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT);
}

/// Whether the walk is still on its first file system, where
/// RESOLVE_NO_XDEV asks.
bool sameDevice(const Walk &W) {
  if (!(W.Resolve & RESOLVE_NO_XDEV))
    return true;
  k42::fs::FileAttr Attr;
  return FsBridge::stat(W.Path.at(), false, Attr) == 0 &&
         Attr.Dev == W.StartDev;
}

/// The walk goes to its root: for an absolute path or symlink text.
long toRoot(Walk &W) {
  if (W.Resolve & RESOLVE_BENEATH)
    return -EXDEV;
  if (W.Resolve & RESOLVE_IN_ROOT)
    return W.Path.jumpTo(W.Root);
  (void)W.Path.jumpTo("/");
  return sameDevice(W) ? 0 : -EXDEV;
}

/// One step up: "..".
long up(Walk &W) {
  if (std::strcmp(W.Path.at(), W.Root) == 0) {
    if (W.Resolve & RESOLVE_BENEATH)
      return -EXDEV;
    return 0; // the root's ".." is the root (RESOLVE_IN_ROOT too)
  }
  W.Path.leave();
  return sameDevice(W) ? 0 : -EXDEV;
}

} // namespace

long ResolveWalk::resolve(const char *Start, const char *Path,
                          uint64_t Resolve, bool FollowLast, char *Out) {
  // Nothing here is a cache Linux's RESOLVE_CACHED could be answered from:
  // the caller asks again without it (io_uring's way).
  if (Resolve & RESOLVE_CACHED)
    return -EAGAIN;
  // Not on the stack: three paths' room and more.
  auto *W = GateHeap::make<Walk>();
  if (!W)
    return -ENOMEM;
  struct Free {
    Walk *W;
    ~Free() { GateHeap::destroy(W); }
  } Guard{W};
  W->Resolve = Resolve;
  if (long E = W->Path.start(Start, Path); E != 0)
    return E;
  std::strcpy(W->Root, scoped(*W) ? W->Path.at() : "/");
  k42::fs::FileAttr Attr;
  if (long E = FsBridge::stat(Start, true, Attr); E != 0)
    return E;
  W->StartDev = Attr.Dev;
  if (Path[0] == '/')
    if (long E = toRoot(*W); E != 0)
      return E;
  PathComponent C;
  while (W->Path.next(C)) {
    if (C.Length > k42::fs::NameMax)
      return -ENAMETOOLONG;
    if (C.isDot())
      continue;
    if (C.isDotDot()) {
      if (long E = up(*W); E != 0)
        return E;
      continue;
    }
    // A trailing slash asks for a folder, and follows a last symlink.
    bool Follow = !C.Last || FollowLast || C.slashAfter();
    if (long E = W->Path.enter(C); E != 0)
      return E;
    if (!FsBridge::isK42Path(W->Path.at()))
      return -EXDEV; // the host's names: another file system
    long E = FsBridge::stat(W->Path.at(), false, Attr);
    if (E == -ENOENT && C.Last) {
      // An open that may create it; a trailing slash kept (open's
      // EISDIR for O_CREAT, ENOENT else).
      if (C.slashAfter())
        (void)W->Path.keepSlash();
      break;
    }
    if (E != 0)
      return E;
    if ((Resolve & RESOLVE_NO_XDEV) && Attr.Dev != W->StartDev)
      return -EXDEV;
    if (S_ISLNK(Attr.Mode) && Follow) {
      if (Resolve & RESOLVE_NO_SYMLINKS)
        return -ELOOP;
      long Got = FsBridge::readlink(W->Path.at(), W->Text, sizeof(W->Text) - 1);
      if (Got < 0)
        return Got;
      W->Text[Got] = 0;
      // What is left goes after the link's text, from the folder it is in.
      W->Path.leave();
      if (long F = W->Path.follow(C, W->Text, size_t(Got)); F != 0)
        return F;
      if (W->Text[0] == '/')
        if (long R = toRoot(*W); R != 0)
          return R;
      continue;
    }
    if (!S_ISDIR(Attr.Mode) && (!C.Last || C.slashAfter()))
      return -ENOTDIR;
  }
  std::strcpy(Out, W->Path.at());
  return 0;
}
