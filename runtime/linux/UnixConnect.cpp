//===- runtime/linux/UnixConnect.cpp - connect to a long AF_UNIX path -----===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/UnixConnect.h"

#include "k42/personality/HostCall.h"
#include "k42/personality/ProcNames.h"

#include <cerrno>
#include <climits>
#include <cstring>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>

using namespace k42::personality;

long UnixConnect::address(const char *Dir, size_t DirLength, const char *Name,
                          sockaddr_un &Out, long &DirFd) {
  std::memset(&Out, 0, sizeof(Out));
  Out.sun_family = AF_UNIX;
  DirFd = -1;
  size_t NameLength = std::strlen(Name);
  if (DirLength + NameLength < sizeof(Out.sun_path)) {
    std::memcpy(Out.sun_path, Dir, DirLength);
    std::memcpy(Out.sun_path + DirLength, Name, NameLength + 1);
    return 0;
  }
  // The folder by its descriptor: "/proc/self/fd/<n>/<name>".
  char Folder[PATH_MAX];
  if (DirLength == 0 || DirLength >= sizeof(Folder))
    return -ENAMETOOLONG;
  std::memcpy(Folder, Dir, DirLength);
  Folder[DirLength] = 0;
  long Opened = hostCall(SYS_open, reinterpret_cast<long>(Folder),
                         O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (isError(Opened))
    return Opened;
  char Short[FdPathBytes];
  fdPath(Opened, Short);
  size_t ShortLength = std::strlen(Short);
  if (ShortLength + 1 + NameLength >= sizeof(Out.sun_path)) {
    (void)hostCall(SYS_close, Opened);
    return -ENAMETOOLONG;
  }
  std::memcpy(Out.sun_path, Short, ShortLength);
  Out.sun_path[ShortLength] = '/';
  std::memcpy(Out.sun_path + ShortLength + 1, Name, NameLength + 1);
  DirFd = Opened;
  return 0;
}

long UnixConnect::connect(long Fd, const char *Dir, size_t DirLength,
                          const char *Name) {
  sockaddr_un Address;
  long DirFd;
  if (long E = address(Dir, DirLength, Name, Address, DirFd); E < 0)
    return E;
  // EINTR while waiting for room in a busy backlog is no refusal.
  long Done;
  do
    Done = hostCall(SYS_connect, Fd, reinterpret_cast<long>(&Address),
                    sizeof(Address));
  while (Done == -EINTR);
  if (DirFd >= 0)
    (void)hostCall(SYS_close, DirFd);
  return isError(Done) ? Done : 0;
}
