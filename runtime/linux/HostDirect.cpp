//===- runtime/linux/HostDirect.cpp - Read-only files from the host -------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/HostDirect.h"

#include "k42/personality/HostCall.h"

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

long HostDirect::join(const char *HostDir, const char *Rest, size_t RestLength,
                      char *Out, size_t Capacity) {
  // A '..' component: the server's walk may climb out of the mount there
  // (a restart into K42's name space), which the host would not.
  const char *End = Rest + RestLength;
  for (const char *P = Rest; P < End;) {
    const char *Stop = P;
    while (Stop < End && *Stop != '/')
      ++Stop;
    if (Stop - P == 2 && P[0] == '.' && P[1] == '.')
      return AskServer;
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
  struct open_how How = {};
  How.flags = O_PATH | O_CLOEXEC | (Follow ? 0 : O_NOFOLLOW);
  How.resolve = RESOLVE_NO_SYMLINKS;
  long Fd = hostCall(SYS_openat2, AT_FDCWD, reinterpret_cast<long>(HostPath),
                     reinterpret_cast<long>(&How), sizeof(How));
  if (Fd == -ENOENT)
    return -ENOENT;
  if (isError(Fd))
    return AskServer; // ELOOP (a symlink on the way), EACCES, ENOSYS...
  struct stat St;
  long E = hostCall(SYS_fstat, Fd, reinterpret_cast<long>(&St));
  (void)hostCall(SYS_close, Fd);
  if (E < 0)
    return AskServer;
  Attr = fromStat(St);
  return 0;
}

long HostDirect::open(const char *HostPath, long Flags,
                      const FileAttr &Expect) {
  long Host = (Flags & ~long(O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC |
                             O_DIRECTORY | O_PATH | O_TMPFILE)) |
              O_RDONLY;
  long Fd =
      hostCall(SYS_openat, AT_FDCWD, reinterpret_cast<long>(HostPath), Host, 0);
  if (isError(Fd))
    return AskServer;
  struct stat St;
  if (hostCall(SYS_fstat, Fd, reinterpret_cast<long>(&St)) == 0 &&
      S_ISREG(St.st_mode) && St.st_dev == Expect.Dev && St.st_ino == Expect.Ino)
    return Fd;
  (void)hostCall(SYS_close, Fd);
  return AskServer;
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
    char Link[32] = "/proc/self/fd/";
    char Digits[12];
    int N = 0;
    for (long V = Fd; V || N == 0; V /= 10)
      Digits[N++] = char('0' + V % 10);
    size_t At = std::strlen(Link);
    while (N)
      Link[At++] = Digits[--N];
    Link[At] = 0;
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
