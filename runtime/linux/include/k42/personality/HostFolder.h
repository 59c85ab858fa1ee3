//===- k42/personality/HostFolder.h - Host folders and files ----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Host folders and small host files read with host calls alone (no libc,
/// whose opendir and stdio allocate): a folder's entries (the exec overlay
/// clears its library folders, a posix_spawn child lists the descriptors
/// it holds in /proc/self/fd), a folder's own host path, and the whole of
/// a small file (the /proc files the overlay, the mount tables and the
/// fdinfo files read).
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_HOSTFOLDER_H
#define K42_PERSONALITY_HOSTFOLDER_H

#include "k42/personality/HostCall.h"
#include "k42/personality/ProcNames.h"

#include <cerrno>
#include <cstddef>
#include <cstring>

#include <dirent.h>
#include <fcntl.h>
#include <sys/syscall.h>

namespace k42::personality {

/// \p Fn(Fd, Name) for each entry of host folder \p Dir but "." and "..",
/// Fd the folder's own descriptor; false if it cannot be opened.
template <typename EntryFn>
bool forEachHostEntry(const char *Dir, EntryFn &&Fn) {
  long Fd = hostCall(SYS_open, reinterpret_cast<long>(Dir),
                     O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (isError(Fd))
    return false;
  alignas(8) char Buffer[2048];
  for (;;) {
    long Got = hostCall(SYS_getdents64, Fd, reinterpret_cast<long>(Buffer),
                        sizeof(Buffer));
    if (Got <= 0)
      break;
    for (long At = 0; At < Got;) {
      auto *E = reinterpret_cast<dirent64 *>(Buffer + At);
      At += E->d_reclen;
      if (E->d_name[0] == '.' &&
          (!E->d_name[1] || (E->d_name[1] == '.' && !E->d_name[2])))
        continue;
      Fn(Fd, E->d_name);
    }
  }
  (void)hostCall(SYS_close, Fd);
  return true;
}

/// Reads \p Fd from where it is into \p To (\p Room bytes): its length;
/// -ENOMEM if it does not fit (\p Room filled); a negated errno if a read
/// fails. \p OneRecord: a file the kernel makes in one piece
/// (single_open, as /proc/self/status), whose short read is its end: no
/// read for EOF.
inline long readHostFd(long Fd, char *To, size_t Room, bool OneRecord = false) {
  size_t Got = 0;
  while (Got < Room) {
    long N = hostCall(SYS_read, Fd, reinterpret_cast<long>(To + Got),
                      long(Room - Got));
    if (N < 0)
      return N;
    if (N == 0)
      break;
    Got += size_t(N);
    if (OneRecord && Got < Room)
      break;
  }
  return Got < Room ? long(Got) : -ENOMEM;
}

/// The whole of small host file \p Path (a /proc file) into \p To, as
/// readHostFd reads it; a negated errno if it cannot be opened.
inline long readHostFile(const char *Path, char *To, size_t Room,
                         bool OneRecord = false) {
  long Fd = hostCall(SYS_openat, AT_FDCWD, reinterpret_cast<long>(Path),
                     O_RDONLY | O_CLOEXEC);
  if (isError(Fd))
    return Fd;
  long Got = readHostFd(Fd, To, Room, OneRecord);
  (void)hostCall(SYS_close, Fd);
  return Got;
}

/// The host path of host folder \p DirFd (AT_FDCWD: the current
/// directory), terminated, into \p Out (\p Capacity bytes): its length,
/// or a negated errno; not a path (getcwd's "(unreachable)", a descriptor
/// that is no folder's) unless Out[0] is '/'.
inline long hostFolderPath(long DirFd, char *Out, size_t Capacity) {
  if (int(DirFd) == AT_FDCWD) {
    long N = hostCall(SYS_getcwd, reinterpret_cast<long>(Out), long(Capacity));
    return isError(N) ? N : long(std::strlen(Out));
  }
  char Link[FdPathBytes];
  fdPath(DirFd, Link);
  long N = hostCall(SYS_readlink, reinterpret_cast<long>(Link),
                    reinterpret_cast<long>(Out), long(Capacity) - 1);
  if (!isError(N))
    Out[N] = 0;
  return N;
}

} // namespace k42::personality

#endif // K42_PERSONALITY_HOSTFOLDER_H
