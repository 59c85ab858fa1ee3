//===- k42/personality/PipeClient.h - The pipe server, from a process -*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// What the personality asks of the pipe server (servers/pipe), from
/// handler context: a new pipe is made in the process (its ring's memfd,
/// and a socket pair per end whose one side becomes the end's placeholder)
/// and handed to the server with SCM_RIGHTS, which is why this is a unix
/// socket (`pipe.sock` beside the kernel's socket) and not a PPC call:
/// descriptors have to travel. The server keeps the other side of each
/// pair and hears the host close the last descriptor of an end.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_PIPECLIENT_H
#define K42_PERSONALITY_PIPECLIENT_H

#include "k42/personality/PipeRing.h"

#include <cstdint>

namespace k42::personality {

/// The pipe server's wire: one request per SOCK_SEQPACKET message.
struct PipeRequest {
  /// Create carries [memfd, read-end peer, write-end peer]; Sync asks for
  /// a one-byte answer once every end the host has closed so far is seen.
  enum : uint32_t { Create = 1, Sync = 2 };
  uint32_t Op;
  uint32_t Reserved;
};

/// The process's link to the pipe server.
class PipeClient {
public:
  /// Makes a pipe: \p ReadFd and \p WriteFd (the two lowest free numbers,
  /// close-on-exec if \p Cloexec) and its ring in \p Ring. -ENOSYS when no
  /// pipe server answers (the caller passes the call to the host), another
  /// negated errno on failure.
  static long create(bool Cloexec, long &ReadFd, long &WriteFd,
                     PipeRing *&Ring);
  /// Returns once the server has seen every end closed so far (a close
  /// that may have been an end's last, in a process that holds the other
  /// end: its next read or write must see EOF or EPIPE as on Linux).
  static void sync();
  /// Maps the ring of a pipe whose memfd the server holds at \p ServerFd
  /// (a program after exec); null on failure.
  static PipeRing *attach(int32_t ServerPid, int32_t ServerFd, uint64_t Id);
  /// Unmaps this process's view of a ring.
  static void detach(PipeRing *Ring);
};

} // namespace k42::personality

#endif // K42_PERSONALITY_PIPECLIENT_H
