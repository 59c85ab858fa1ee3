//===- k42/personality/KernelConnection.h - Kernel link, freestanding -*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The personality's connection to the K42 kernel process: what KernelLink
/// does for ordinary K42 programs (hello, Connect, the channel memfd by
/// SCM_RIGHTS), done with system calls from the gate only, so it can run
/// inside a trapped call of any program, static ones included. The socket
/// lives at a high descriptor, close-on-exec, out of the program's way.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_KERNELCONNECTION_H
#define K42_PERSONALITY_KERNELCONNECTION_H

#include "k42/personality/GateTransport.h"

#include "k42/ipc/ObjectHandle.h"

#include <cstddef>

namespace k42::personality {

/// One process's kernel connection.
class KernelConnection {
public:
  /// Connects to the kernel socket at \p SocketPath; the hello goes with
  /// the first connect() (ConnectSaysHello). 0 or a negated errno
  /// (ENOENT, ECONNREFUSED: no system is running there).
  long open(const char *SocketPath);

  /// Closes the socket (a forked child closes its parent's).
  void close();

  /// Tells the kernel the process's credentials changed, so that it reads
  /// them again from the host for the channels it makes from now on
  /// (MessageType::Credentials: no reply, nothing waited for). Nothing if
  /// the connection is not open: the kernel then reads them at connect().
  void credentialsChanged();

  bool isOpen() const { return Fd >= 0; }

  /// The socket and the next request number, to hand the connection to
  /// the program this process execs: it is the same process, so the
  /// kernel knows it by the same socket.
  int fd() const { return Fd; }
  uint32_t nextSeq() const { return NextSeq; }

  /// Takes over the connection an exec left at \p Socket. Its first
  /// connect says hello again (the program before may have opened it and
  /// asked nothing): the kernel names a process only once.
  void adopt(int Socket, uint32_t Seq) {
    Fd = Socket;
    NextSeq = Seq;
    HelloOwed = true;
  }

  /// Asks the kernel for a channel to process \p Server (0: the holder of
  /// kernel path \p Path), which is asked for \p Path. The kernel answers
  /// at once and the server in the channel (ConnectAnswerAtOnce), which
  /// this waits for. \p Forks: whether fork children find the channel
  /// mapped (GateTransport::Children). On success \p Root is the root
  /// object's handle; null and \p Error otherwise.
  GateTransport *
  connect(uint32_t Server, const char *Path, ObjectHandle &Root, long &Error,
          GateTransport::Children Forks = GateTransport::Children::DropIt);

  /// The descriptors at and above this number are the personality's.
  static constexpr int FirstPrivateFd = 1000;

  /// Room for the kernel socket's path: a path, not a sun_path (a longer
  /// one is reached through its folder: UnixConnect).
  static constexpr size_t SocketPathBytes = 4096;

  /// Writes the kernel socket's path into \p Out (\p Capacity bytes):
  /// \p Configured ($K42_KERNEL_SOCKET) when set and not empty, otherwise
  /// KernelLink::defaultSocketPath()'s /tmp/k42-<uid>/kernel.sock, made
  /// from the gate (no libc). Every bridge that connects asks this, so all
  /// of a process's connections agree on the system.
  static void socketPath(const char *Configured, char *Out, size_t Capacity);

private:
  long request(void *Message, int *FdOut);

  int Fd = -1;
  uint32_t NextSeq = 1;
  /// The next Connect is also the hello (ConnectSaysHello).
  bool HelloOwed = false;
};

} // namespace k42::personality

#endif // K42_PERSONALITY_KERNELCONNECTION_H
