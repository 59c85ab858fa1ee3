//===- k42/personality/UnixConnect.h - Long AF_UNIX paths -------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// connect(2) to an AF_UNIX socket by path from handler context, for the
/// personality's own sockets (the kernel's, the pipe server's, beside
/// it). A path longer than sun_path (a system booted in a deep folder) is
/// reached through its folder, opened O_PATH for the call, as
/// `/proc/self/fd/<folder>/<name>`, the way the kernel binds it and every
/// other client connects (kernel::socketAddress).
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_UNIXCONNECT_H
#define K42_PERSONALITY_UNIXCONNECT_H

#include <cstddef>

#include <sys/un.h>

namespace k42::personality {

/// Connects the personality's own sockets by path.
class UnixConnect {
public:
  /// Connects socket \p Fd to the socket at \p Dir followed by \p Name
  /// (\p DirLength bytes of \p Dir, ending in '/', then the NUL-terminated
  /// \p Name), waiting through EINTR. 0 or a negated errno; ENAMETOOLONG
  /// only when even the short form does not fit.
  static long connect(long Fd, const char *Dir, size_t DirLength,
                      const char *Name);

  /// Builds in \p Out the address of \p Dir followed by \p Name (as for
  /// connect). When the whole path is longer than sun_path, the folder is
  /// opened O_PATH and named by its descriptor ("/proc/self/fd/<n>/"),
  /// which \p DirFd then holds for the caller to close after its call;
  /// otherwise \p DirFd is -1. 0 or a negated errno.
  static long address(const char *Dir, size_t DirLength, const char *Name,
                      sockaddr_un &Out, long &DirFd);
};

} // namespace k42::personality

#endif
