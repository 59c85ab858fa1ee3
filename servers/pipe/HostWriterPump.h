//===- servers/pipe/HostWriterPump.h - Host writes into a ring -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A pipe end's descriptor in a process is a socket whose other side the
/// server holds (its placeholder). The personality never writes into it:
/// its write() copies into the ring. But code that runs without the
/// personality does: ld.so before the personality's constructor arms
/// (ldd's list under LD_TRACE_LOADED_OBJECTS, "error while loading shared
/// libraries", LD_DEBUG's first lines), and a program exec'd without it (a
/// set-id program of another user). Their write() puts a record in the
/// socket, which the server then reads here and puts in the ring, so the
/// reader gets the bytes as it would from a host pipe, instead of their
/// sitting unread in the socket.
///
//===----------------------------------------------------------------------===//

#ifndef K42_SERVERS_PIPE_HOSTWRITERPUMP_H
#define K42_SERVERS_PIPE_HOSTWRITERPUMP_H

#include <atomic>
#include <cstdint>

namespace k42::personality {
class PipeRing;
} // namespace k42::personality

namespace k42::pipe {

/// Moves the records a writer without the personality sent into one
/// end's placeholder into the pipe's ring, on a thread of its own (a full
/// ring makes it wait, as the writer would have).
class HostWriterPump {
public:
  /// Why run() returned.
  enum class Ended {
    /// Every descriptor of the placeholder is closed (and all its bytes
    /// are in the ring).
    WritersGone,
    /// The pipe has no reader: the rest is dropped, and the writer's next
    /// write fails with EPIPE once the server's side is closed.
    ReadersGone,
    /// The server is stopping.
    Stopped,
  };

  /// Pumps socket \p Fd into \p Ring until one of Ended's reasons.
  static Ended run(int Fd, personality::PipeRing &Ring,
                   const std::atomic<bool> &Stopping);

  /// Tells the ring's sleepers of a change (the server's one way: a
  /// sleeper counts itself in Sleepers before it sleeps while Seq holds
  /// what it saw, so with none counted there is nobody to wake and no
  /// host call is made).
  static void wakeSleepers(personality::PipeRing &Ring);
};

} // namespace k42::pipe

#endif // K42_SERVERS_PIPE_HOSTWRITERPUMP_H
