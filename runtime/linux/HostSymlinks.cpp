//===- runtime/linux/HostSymlinks.cpp - Host links into K42 ---------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/HostSymlinks.h"

#include "k42/personality/FsBridge.h"
#include "k42/personality/GateHeap.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/HostFolder.h"

#include <cstring>

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>

using namespace k42::personality;

namespace {

constexpr size_t PathBytes = k42::fs::PathMax + 1;
/// The kernel's limit on symlinks followed in one lookup (MAXSYMLINKS).
constexpr unsigned MaxLinks = 40;

/// Whether the host meets a symlink on the way to \p Path (relative to
/// \p DirFd), its last component's when \p FollowLast.
bool symlinkOnTheWay(long DirFd, const char *Path, bool FollowLast) {
  open_how How{};
  How.flags = O_PATH | O_CLOEXEC | (FollowLast ? 0 : O_NOFOLLOW);
  How.resolve = RESOLVE_NO_SYMLINKS;
  long Fd = hostCall(SYS_openat2, DirFd, reinterpret_cast<long>(Path),
                     reinterpret_cast<long>(&How), sizeof(How));
  if (Fd >= 0) {
    (void)hostCall(SYS_close, Fd);
    return false;
  }
  // Any other failure (ENOENT before a link, EACCES) is the host's
  // answer to the call too.
  return Fd == -ELOOP;
}

/// The walk's buffers (GateHeap: only a path with a symlink on the way
/// pays for them).
struct Walk {
  char Cur[PathBytes];
  char Rest[2 * PathBytes];
  char Next[2 * PathBytes];
  char Link[PathBytes];
};

/// Walks absolute \p W.Rest from the root as the kernel's lookup does;
/// true, the K42 path into \p Out, once it comes to one of K42's names.
bool walk(Walk &W, bool FollowLast, char *Out) {
  size_t CurLen = 0; // "" is the root
  unsigned Links = 0;
  const char *P = W.Rest;
  for (;;) {
    while (*P == '/')
      ++P;
    if (!*P)
      return false;
    const char *End = P;
    while (*End && *End != '/')
      ++End;
    size_t Len = size_t(End - P);
    const char *After = End;
    while (*After == '/')
      ++After;
    bool Last = !*After;
    if (Len == 1 && P[0] == '.') {
      P = End;
      continue;
    }
    if (Len == 2 && P[0] == '.' && P[1] == '.') {
      while (CurLen && W.Cur[CurLen - 1] != '/')
        --CurLen;
      if (CurLen)
        --CurLen;
      P = End;
      continue;
    }
    if (CurLen + 1 + Len >= PathBytes)
      return false; // the host's ENAMETOOLONG
    W.Cur[CurLen] = '/';
    std::memcpy(W.Cur + CurLen + 1, P, Len);
    W.Cur[CurLen + 1 + Len] = 0;
    // At the root, one of K42's names: the rest is K42's. Asked of the
    // whole path, not of the name alone: a host path K42_HOST_PATHS names
    // below one of K42's names (a build tree in the host's /tmp) stays
    // the host's.
    if (CurLen == 0) {
      size_t RestLen = std::strlen(End);
      if (1 + Len + RestLen >= sizeof(W.Next))
        return false;
      std::memcpy(W.Next, W.Cur, 1 + Len);
      std::memcpy(W.Next + 1 + Len, End, RestLen + 1);
      if (FsBridge::normalize(W.Next, W.Link) == 0 &&
          FsBridge::isK42Path(W.Link)) {
        std::memcpy(Out, W.Link, std::strlen(W.Link) + 1);
        return true;
      }
    }
    struct stat St;
    if (hostCall(SYS_newfstatat, AT_FDCWD, reinterpret_cast<long>(W.Cur),
                 reinterpret_cast<long>(&St), AT_SYMLINK_NOFOLLOW) != 0)
      return false;
    if (!S_ISLNK(St.st_mode) || (Last && !FollowLast)) {
      CurLen += 1 + Len;
      P = End;
      continue;
    }
    if (++Links > MaxLinks)
      return false;
    long N = hostCall(SYS_readlink, reinterpret_cast<long>(W.Cur),
                      reinterpret_cast<long>(W.Link), sizeof(W.Link) - 1);
    if (N <= 0)
      return false;
    W.Link[N] = 0;
    // The link's target, then what was left after the link (a relative
    // target from the link's folder, Cur without the link's name).
    size_t RestLen = std::strlen(End);
    if (size_t(N) + RestLen + 2 > sizeof(W.Next))
      return false;
    std::memcpy(W.Next, W.Link, size_t(N));
    std::memcpy(W.Next + N, End, RestLen + 1);
    std::memcpy(W.Rest, W.Next, size_t(N) + RestLen + 1);
    if (W.Link[0] == '/')
      CurLen = 0;
    P = W.Rest;
  }
}

} // namespace

bool HostSymlinks::intoK42(long DirFd, const char *Path, bool FollowLast,
                           char *Out) {
  if (!Path[0] || (Path[0] == '/' && FsBridge::underHostOnlyPrefix(Path)) ||
      !symlinkOnTheWay(Path[0] == '/' ? AT_FDCWD : DirFd, Path, FollowLast))
    return false;
  auto *W = GateHeap::make<Walk>();
  if (!W)
    return false;
  // The walk starts at the root: a relative path from its folder's host
  // path (physical, as the kernel starts from the folder itself).
  size_t Base = 0;
  if (Path[0] != '/') {
    long N = hostFolderPath(DirFd, W->Rest, PathBytes);
    if (N <= 0 || W->Rest[0] != '/') {
      GateHeap::destroy(W);
      return false;
    }
    Base = size_t(N);
    W->Rest[Base++] = '/';
  }
  size_t Length = std::strlen(Path);
  bool Found = false;
  if (Base + Length < sizeof(W->Rest)) {
    std::memcpy(W->Rest + Base, Path, Length + 1);
    Found = walk(*W, FollowLast, Out);
  }
  GateHeap::destroy(W);
  return Found;
}
