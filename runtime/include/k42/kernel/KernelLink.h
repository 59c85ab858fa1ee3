//===- runtime/include/k42/kernel/KernelLink.h - Talk to the kernel C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A process's connection to the K42 kernel process: how a client opens a
/// channel to a named service and how a server offers one. The kernel makes
/// every channel and tells the server who the client is, so a server never
/// takes a caller's identity from message content.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_KERNEL_KERNELLINK_H
#define K42_RUNTIME_KERNEL_KERNELLINK_H

#include "k42/ipc/Channel.h"
#include "k42/ipc/ChannelTransport.h"
#include "k42/ipc/Result.h"
#include "k42/kernel/KernelProtocol.h"

#include <functional>
#include <sys/un.h>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace k42::kernel {

/// A channel to a service: the transport to call through and the handle of
/// the service's root object.
struct ServiceConnection {
  std::unique_ptr<ChannelTransport> Transport;
  ObjectHandle Root;
};

/// A process as `k42 ps` shows it.
struct ProcessEntry {
  Badge Who;
  /// Its Linux pid: the host's, or (PidIsSystems) the system's own, which
  /// names nothing on the host outside the system's pid namespace.
  int32_t HostPid = 0;
  bool Running = false;
  std::string Name;
  /// HostPid is a pid of the system's own pid namespace (kernel pid 1).
  bool PidIsSystems = false;
};

/// One process's connection to the kernel.
class KernelLink {
public:
  /// Where the kernel listens: $K42_KERNEL_SOCKET, else
  /// /tmp/k42-<uid>/kernel.sock.
  static std::string defaultSocketPath();

  /// Connects to the kernel at \p SocketPath as a process named \p Name.
  static Result<std::unique_ptr<KernelLink>>
  connect(std::string_view Name, const std::string &SocketPath);

  ~KernelLink();
  KernelLink(const KernelLink &) = delete;
  KernelLink &operator=(const KernelLink &) = delete;

  /// This process's identity as the kernel assigned it.
  const Badge &self() const { return Self; }

  /// Client side: opens a channel to the server of kernel path \p Path
  /// (the name server's bootstrap path).
  Result<ServiceConnection> connectService(std::string_view Path);

  /// Client side: opens a channel to K42 process \p Server for its object
  /// \p Path (as the name server resolved it).
  Result<ServiceConnection> connectProcess(ProcessId Server,
                                           std::string_view Path);

  /// Lists the kernel's processes.
  Result<std::vector<ProcessEntry>> list();

  /// Asks the kernel to stop the system. Returns once the request is sent:
  /// a kernel running on a thread of the caller's own process stops only
  /// when that thread gets to it.
  Status shutdown();

  /// Waits up to \p TimeoutMs for the kernel to close this link, which it
  /// does only when the system has stopped (its servers gone, its socket
  /// removed): so a command run after `k42ctl shutdown` finds no system
  /// rather than one half-way down. ETIMEDOUT if it is still running.
  Status waitUntilDown(int TimeoutMs);

  /// Server side: what to do for each new client of a service: given the
  /// client's badge and the channel the kernel made, start serving it and
  /// return the root handle for that client.
  /// It takes \p Chan (moves from it) only if it serves the client.
  using NewClientFn = std::function<Result<ObjectHandle>(
      const Badge &Client, std::string_view Path, Channel &&Chan)>;
  /// What to do when a process is gone (reclaim its handles).
  using ClientGoneFn = std::function<void(const Badge &Client)>;

  /// Server side: offers kernel path \p Path; an empty path only says the
  /// process serves clients (their names live in the name server).
  Status registerService(std::string_view Path);

  /// Server side: handles kernel messages until the kernel says Shutdown
  /// (returns ok) or goes away (returns an error).
  Status serve(const NewClientFn &OnNewClient, const ClientGoneFn &OnGone);

private:
  explicit KernelLink(int Fd) : Fd(Fd) {}
  /// A client the kernel answered at once (NewClientAnswerInChannel)
  /// learns \p Root, the handle or the refusal, from \p Header.
  static void answerInChannel(ChannelHeader &Header,
                              const Result<ObjectHandle> &Root);
  Status request(Message &M, int *FdOut = nullptr, int *SecondOut = nullptr);

  int Fd;
  Badge Self;
  uint32_t NextSeq = 1;
  /// The sequence number of the Shutdown sent, whose refusal (an Error
  /// with it) ends waitUntilDown.
  uint32_t ShutdownSeq = 0;
};

/// A sockaddr_un for \p Path. Paths longer than sun_path allows (deep build
/// folders) go through /proc/self/fd/<dir>/<name>; \p DirFd then holds the
/// open directory, which the caller closes after bind or connect.
Status socketAddress(const std::string &Path, ::sockaddr_un &Address,
                     int &DirFd);

/// Sends \p M on \p Socket, with \p PassFd attached if not -1, and then
/// \p PassFd2 if not -1 (a Connected's watch of its server, for a client
/// outside the system's pid namespace).
Status sendMessage(int Socket, const Message &M, int PassFd = -1,
                   int PassFd2 = -1);

/// Receives one message; a received fd goes to \p *FdOut (or is closed if
/// \p FdOut is null), a second to \p *SecondOut (likewise), any more are
/// closed. A short or oversized datagram is BadMessage.
Status receiveMessage(int Socket, Message &M, int *FdOut,
                      int *SecondOut = nullptr);

} // namespace k42::kernel

#endif // K42_RUNTIME_KERNEL_KERNELLINK_H
