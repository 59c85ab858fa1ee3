//===- k42/personality/HostFolder.h - A host folder's entries ---*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The entries of a host folder, read with host calls alone (no libc,
/// whose opendir allocates): the exec overlay clears its library folders
/// with it, and a posix_spawn child lists the descriptors it holds
/// (/proc/self/fd) with it.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_HOSTFOLDER_H
#define K42_PERSONALITY_HOSTFOLDER_H

#include "k42/personality/HostCall.h"

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

} // namespace k42::personality

#endif // K42_PERSONALITY_HOSTFOLDER_H
