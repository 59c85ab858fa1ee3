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
#include "k42/personality/PathWalk.h"

#include <cstring>

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>

using namespace k42::personality;

namespace {

constexpr size_t PathBytes = PathWalk::PathBytes;

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

/// The walk and its buffers (GateHeap: only a path with a symlink on the
/// way pays for them).
struct Walk {
  PathWalk Path;
  /// The absolute path to walk.
  char Text[2 * PathBytes];
  /// A name at the root with what follows it.
  char Whole[2 * PathBytes];
  char Link[PathBytes];
};

/// Walks absolute \p W.Text from the root as the kernel's lookup does;
/// true, the K42 path into \p Out, once it comes to one of K42's names.
/// Anything the host would refuse (a name too long, a link loop) is left
/// to the host: false.
bool walk(Walk &W, bool FollowLast, char *Out) {
  if (W.Path.start("/", W.Text) != 0)
    return false;
  PathComponent C;
  while (W.Path.next(C)) {
    if (C.isDot())
      continue;
    if (C.isDotDot()) {
      W.Path.leave();
      continue;
    }
    bool FromRoot = W.Path.atRoot();
    if (W.Path.enter(C) != 0)
      return false;
    // At the root, one of K42's names: the rest is K42's. Asked of the
    // whole path, not of the name alone: a host path K42_HOST_PATHS names
    // below one of K42's names (a build tree in the host's /tmp) stays
    // the host's.
    if (FromRoot) {
      size_t Here = std::strlen(W.Path.at());
      size_t RestLength = std::strlen(C.Rest);
      if (Here + RestLength >= sizeof(W.Whole))
        return false;
      std::memcpy(W.Whole, W.Path.at(), Here);
      std::memcpy(W.Whole + Here, C.Rest, RestLength + 1);
      if (FsBridge::normalize(W.Whole, W.Link) == 0 &&
          FsBridge::isK42Path(W.Link)) {
        std::memcpy(Out, W.Link, std::strlen(W.Link) + 1);
        return true;
      }
    }
    struct stat St;
    if (hostCall(SYS_newfstatat, AT_FDCWD, reinterpret_cast<long>(W.Path.at()),
                 reinterpret_cast<long>(&St), AT_SYMLINK_NOFOLLOW) != 0)
      return false;
    // A trailing slash follows a last symlink, as the kernel's walk.
    if (!S_ISLNK(St.st_mode) || (C.Last && !FollowLast && !C.slashAfter()))
      continue;
    long N = hostCall(SYS_readlink, reinterpret_cast<long>(W.Path.at()),
                      reinterpret_cast<long>(W.Link), sizeof(W.Link) - 1);
    if (N <= 0)
      return false;
    // On from the link's folder, or from the root.
    W.Path.leave();
    if (W.Path.follow(C, W.Link, size_t(N)) != 0)
      return false;
    if (W.Link[0] == '/')
      (void)W.Path.jumpTo("/");
  }
  return false;
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
    long N = hostFolderPath(DirFd, W->Text, PathBytes);
    if (N <= 0 || W->Text[0] != '/') {
      GateHeap::destroy(W);
      return false;
    }
    Base = size_t(N);
    W->Text[Base++] = '/';
  }
  size_t Length = std::strlen(Path);
  bool Found = false;
  if (Base + Length < sizeof(W->Text)) {
    std::memcpy(W->Text + Base, Path, Length + 1);
    Found = walk(*W, FollowLast, Out);
  }
  GateHeap::destroy(W);
  return Found;
}
