//===- runtime/linux/HostDirect.cpp - Read-only files from the host -------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/HostDirect.h"

#include "k42/personality/HostCall.h"
#include "k42/personality/ProcNames.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

using namespace k42;
using namespace k42::fs;
using namespace k42::personality;

static_assert(HostDirect::AskServer == -EAGAIN);

namespace {

/// openat2 of \p HostPath with \p Flags, refusing every symlink on the
/// way (RESOLVE_NO_SYMLINKS): the descriptor; -ENOENT (exact: no symlink
/// was met) and -ELOOP (a symlink on the way: followLink) as they are;
/// AskServer for any other error (EACCES, ENOTDIR, EWOULDBLOCK for a
/// lease, ENOSYS...).
long openNoSymlinks(const char *HostPath, uint64_t Flags) {
  struct open_how How = {};
  How.flags = Flags;
  How.resolve = RESOLVE_NO_SYMLINKS;
  long Fd = hostCall(SYS_openat2, AT_FDCWD, reinterpret_cast<long>(HostPath),
                     reinterpret_cast<long>(&How), sizeof(How));
  return isError(Fd) && Fd != -ENOENT && Fd != -ELOOP ? HostDirect::AskServer
                                                      : Fd;
}

} // namespace

long HostDirect::join(const char *HostDir, const char *Rest, size_t RestLength,
                      char *Out, size_t Capacity) {
  // A '..' above the mount's root: the server's walk climbs out of the
  // mount there (a restart into K42's name space), which the host would
  // not. Below it, the host's '..' (no symlinks met) is the walk's.
  const char *End = Rest + RestLength;
  long Depth = 0;
  for (const char *P = Rest; P < End;) {
    const char *Stop = P;
    while (Stop < End && *Stop != '/')
      ++Stop;
    if (Stop - P == 2 && P[0] == '.' && P[1] == '.') {
      if (--Depth < 0)
        return AskServer;
    } else if (Stop > P && !(Stop - P == 1 && P[0] == '.')) {
      ++Depth;
    }
    P = Stop + 1;
  }
  while (RestLength && *Rest == '/')
    ++Rest, --RestLength;
  size_t Dir = std::strlen(HostDir);
  if (Dir + 1 + RestLength + 2 > Capacity)
    return AskServer;
  std::memcpy(Out, HostDir, Dir);
  size_t N = Dir;
  if (N == 0 || (RestLength && Out[N - 1] != '/'))
    Out[N++] = '/';
  std::memcpy(Out + N, Rest, RestLength);
  N += RestLength;
  Out[N] = 0;
  return 0;
}

long HostDirect::lookup(const char *HostPath, bool Follow, FileAttr &Attr) {
  long Fd =
      openNoSymlinks(HostPath, O_PATH | O_CLOEXEC | (Follow ? 0 : O_NOFOLLOW));
  if (isError(Fd))
    return Fd;
  struct stat St;
  long E = hostCall(SYS_fstat, Fd, reinterpret_cast<long>(&St));
  (void)hostCall(SYS_close, Fd);
  if (E < 0)
    return AskServer;
  Attr = fromStat(St);
  return 0;
}

long HostDirect::readlink(const char *HostPath, char *Buffer, size_t Size) {
  long Fd = openNoSymlinks(HostPath, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (isError(Fd))
    return Fd;
  // The file the lookup found, whatever the host does to the path since:
  // an empty path reads the link the descriptor is (ENOENT if it is none).
  long Got = hostCall(SYS_readlinkat, Fd, reinterpret_cast<long>(""),
                      reinterpret_cast<long>(Buffer), long(Size));
  (void)hostCall(SYS_close, Fd);
  if (Got == -ENOENT)
    return -EINVAL;
  return isError(Got) ? AskServer : Got;
}

long HostDirect::followLink(char *HostPath, size_t HostDirLength,
                            const char *MountPath, char *Next,
                            size_t Capacity) {
  size_t Length = std::strlen(HostPath);
  size_t Start = HostDirLength;
  while (Start < Length && HostPath[Start] == '/')
    ++Start;
  // Each component in turn: the host directory is canonical, so once the
  // components before one are known to be directories, a plain lstat of
  // the prefix sees that component itself.
  for (size_t At = Start; At < Length;) {
    size_t End = At;
    while (End < Length && HostPath[End] != '/')
      ++End;
    char Saved = HostPath[End];
    HostPath[End] = 0;
    struct stat St;
    long E =
        hostCall(SYS_newfstatat, AT_FDCWD, reinterpret_cast<long>(HostPath),
                 reinterpret_cast<long>(&St), AT_SYMLINK_NOFOLLOW);
    if (E == 0 && S_ISDIR(St.st_mode)) {
      HostPath[End] = Saved;
      At = End;
      while (At < Length && HostPath[At] == '/')
        ++At;
      continue;
    }
    if (E < 0 || !S_ISLNK(St.st_mode)) {
      HostPath[End] = Saved;
      return AskServer;
    }
    // Next: the link's text in its place, after the mount's K42 path and
    // the directories before the link when it is relative, then the rest.
    size_t Mount = std::strlen(MountPath), Dirs = At - Start;
    size_t Base = Mount + 1 + Dirs;
    long Got = Base < Capacity
                   ? hostCall(SYS_readlink, reinterpret_cast<long>(HostPath),
                              reinterpret_cast<long>(Next + Base),
                              long(Capacity - Base))
                   : -1;
    HostPath[End] = Saved;
    if (Got <= 0 || size_t(Got) >= Capacity - Base)
      return AskServer;
    size_t N;
    if (Next[Base] == '/') {
      std::memmove(Next, Next + Base, size_t(Got));
      N = size_t(Got);
    } else {
      std::memcpy(Next, MountPath, Mount);
      Next[Mount] = '/';
      std::memcpy(Next + Mount + 1, HostPath + Start, Dirs);
      N = Base + size_t(Got);
    }
    if (N + (Length - End) + 1 > Capacity)
      return AskServer;
    std::memcpy(Next + N, HostPath + End, Length - End);
    Next[N + Length - End] = 0;
    return 0;
  }
  return AskServer;
}

namespace {
/// \p Fd if it is the file a lookup found (of type \p Type, with
/// \p Expect's st_dev and st_ino); closed, and AskServer, if not.
long keepIfFound(long Fd, mode_t Type, const FileAttr &Expect) {
  struct stat St;
  if (hostCall(SYS_fstat, Fd, reinterpret_cast<long>(&St)) == 0 &&
      (St.st_mode & S_IFMT) == Type && St.st_dev == Expect.Dev &&
      St.st_ino == Expect.Ino)
    return Fd;
  (void)hostCall(SYS_close, Fd);
  return HostDirect::AskServer;
}
} // namespace

long HostDirect::open(const char *HostPath, long Flags,
                      const FileAttr &Expect) {
  long Host = (Flags & ~long(O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC |
                             O_DIRECTORY | O_PATH | O_TMPFILE)) |
              O_RDONLY;
  long Fd =
      hostCall(SYS_openat, AT_FDCWD, reinterpret_cast<long>(HostPath), Host, 0);
  return isError(Fd) ? AskServer : keepIfFound(Fd, S_IFREG, Expect);
}

long HostDirect::openRead(const char *HostPath, long Flags, FileAttr &Attr) {
  static_assert(Directory == -EISDIR);
  // What fcntl(F_SETFL) sets, as the program's open set it.
  constexpr long StatusFlags = O_APPEND | O_ASYNC | O_DIRECT | O_NOATIME;
  long Fd = openNoSymlinks(
      HostPath,
      uint64_t((Flags & ~long(O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC | O_PATH |
                              O_TMPFILE)) |
               (Flags & O_DIRECTORY) | O_RDONLY | O_NONBLOCK | O_NOCTTY));
  if (isError(Fd))
    return Fd;
  struct stat St;
  long Result = AskServer;
  if (hostCall(SYS_fstat, Fd, reinterpret_cast<long>(&St)) == 0) {
    Attr = fromStat(St);
    if (S_ISDIR(St.st_mode))
      Result = Directory;
    else if (S_ISREG(St.st_mode) &&
             ((Flags & O_NONBLOCK) ||
              hostCall(SYS_fcntl, Fd, F_SETFL, Flags & StatusFlags) == 0))
      return Fd;
  }
  (void)hostCall(SYS_close, Fd);
  return Result;
}

long HostDirect::openDirectory(const char *HostPath, const FileAttr &Expect) {
  long Fd = openNoSymlinks(HostPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  return isError(Fd) ? AskServer : keepIfFound(Fd, S_IFDIR, Expect);
}

long HostDirect::mayOpenDirectory(const char *HostPath,
                                  const FileAttr &Expect) {
  long Fd = openDirectory(HostPath, Expect);
  if (isError(Fd))
    return AskServer;
  (void)hostCall(SYS_close, Fd);
  return 0;
}

long HostDirect::rootOf(const char *MountPath, const FileAttr &Root, char *Out,
                        size_t Capacity) {
  long Fd = hostCall(SYS_openat, AT_FDCWD, reinterpret_cast<long>(MountPath),
                     O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
  if (isError(Fd))
    return AskServer;
  struct stat St;
  long Result = AskServer;
  if (hostCall(SYS_fstat, Fd, reinterpret_cast<long>(&St)) == 0 &&
      St.st_dev == Root.Dev && St.st_ino == Root.Ino) {
    // The canonical path: the lookups above refuse every symlink, so the
    // host directory must be named without one (/lib is /usr/lib here).
    char Link[FdPathBytes];
    fdPath(Fd, Link);
    long Len = hostCall(SYS_readlink, reinterpret_cast<long>(Link),
                        reinterpret_cast<long>(Out), long(Capacity) - 1);
    if (Len > 0 && Len < long(Capacity) - 1 && Out[0] == '/') {
      Out[Len] = 0;
      Result = 0;
    }
  }
  (void)hostCall(SYS_close, Fd);
  return Result;
}

long HostDirect::sameRoot(const char *MountPath, const char *HostDir,
                          const FileAttr &Root) {
  auto IsRoot = [&Root](long E, const struct stat &St) {
    return E == 0 && S_ISDIR(St.st_mode) && St.st_dev == Root.Dev &&
           St.st_ino == Root.Ino;
  };
  if (HostDir[0] != '/')
    return AskServer;
  // The mount's path still leads to the root (a link retargeted since
  // does not), and the name is the root itself, not a symlink to it.
  struct stat St;
  long E = hostCall(SYS_newfstatat, AT_FDCWD, reinterpret_cast<long>(MountPath),
                    reinterpret_cast<long>(&St), 0);
  if (!IsRoot(E, St))
    return AskServer;
  E = hostCall(SYS_newfstatat, AT_FDCWD, reinterpret_cast<long>(HostDir),
               reinterpret_cast<long>(&St), AT_SYMLINK_NOFOLLOW);
  return IsRoot(E, St) ? 0 : AskServer;
}
