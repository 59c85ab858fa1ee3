//===- kernel/lib/Kernel.h - The K42 kernel process -------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The kernel process: the trust base of a hosted K42 system. Every K42
/// process connects to its Unix socket; the kernel identifies the peer with
/// SO_PEERCRED, gives it a K42 process id, and from then on is the only one
/// who makes PPC channels: it creates each channel's memfd and hands one end
/// to the client and one to the server, telling the server the client's
/// badge. It starts the servers of a boot description, lists processes, tells
/// servers when a process is gone, and shuts the system down.
///
/// The kernel never waits on any one process: sockets are non-blocking,
/// what a process is slow to read waits in its outbox, and a process that
/// falls too far behind is disconnected. It waits only for the children it
/// started itself, so a program can also run a Kernel on one of its threads
/// (with a private SocketPath and no BootFile), as the kernel fuzzer does;
/// unless it is init (KernelOptions::Init), when it reaps every child.
///
//===----------------------------------------------------------------------===//

#ifndef K42_KERNEL_LIB_KERNEL_H
#define K42_KERNEL_LIB_KERNEL_H

#include "k42/ipc/Channel.h"
#include "k42/ipc/Result.h"
#include "k42/kernel/KernelProtocol.h"

#include <chrono>
#include <deque>
#include <map>
#include <string>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace k42::kernel {

/// How the kernel was asked to run.
struct KernelOptions {
  /// Where to listen.
  std::string SocketPath;
  /// A boot description to start servers from (optional).
  std::string BootFile;
  /// How long servers get to register before boot fails.
  int BootTimeoutMs = 10000;
  /// Tests only: for this long after boot, a Connect from a personality
  /// process (hello name "k42-linux") is answered EAGAIN, as a server
  /// busy with its own call to the kernel answers one, so that a test can
  /// show a process waits for a loaded system instead of leaving it.
  int RefuseLinuxMs = 0;
  /// The kernel is pid 1 of the system's own pid namespace (PidNamespace.h):
  /// as init it reaps every child, orphans reparented to it too, as soon
  /// as each exits (woken by SIGCHLD), and the pids it hands out and lists
  /// are the system's. Only for a process that is init: a program running
  /// a Kernel on one of its threads keeps its other children's statuses.
  bool Init = false;
};

/// The kernel's state and event loop.
class Kernel {
public:
  explicit Kernel(KernelOptions Options) : Options(std::move(Options)) {}
  ~Kernel();

  /// Listens and starts the boot servers; returns once every one of them
  /// has registered a service (the system is up) or with the reason it
  /// could not come up.
  Status boot();

  /// Serves until a Shutdown request or until \p StopRequested becomes
  /// non-zero (set from a SIGINT/SIGTERM handler); then stops every process
  /// it started.
  Status run(const volatile int *StopRequested = nullptr);

  /// Servers started from the boot description.
  size_t bootServers() const { return Spawned.size(); }

  /// Makes the folder of the socket at \p SocketPath if it is missing (the
  /// default /tmp/k42-<uid> is not there after a reboot), before anything
  /// is written in it. Others may pass through it (not list it): the
  /// socket's own mode and the kernel decide who connects (listen()).
  static void makeSocketFolder(const std::string &SocketPath);

private:
  /// A message waiting for its process to read earlier ones, with its own
  /// copy of the descriptor it carries (or -1).
  struct Outgoing {
    Message M;
    int Fd;
    /// A second descriptor (a Connected's server watch), or -1.
    int Fd2;
  };
  struct Process {
    int Fd = -1;
    pid_t HostPid = 0;
    Badge Who;
    std::string Name;
    bool Registered = false;
    /// Another user's process from outside the system: every message it
    /// sends is answered EACCES.
    bool Refused = false;
    /// What its socket had no room for, oldest first.
    std::deque<Outgoing> Outbox;
    /// Fell too far behind; disconnected at the end of this round.
    bool Unresponsive = false;
    /// Whether the kernel waits for room in its socket (EPOLLOUT): while
    /// its outbox holds anything.
    bool WaitsForRoom = false;
    /// The servers (K42 pids) the kernel has sent a channel to for this
    /// process: only they hold anything of it, so only they are told
    /// when it is gone (a process that called one server does not wake
    /// the other six at its exit).
    std::vector<ProcessId> Served;
  };
  /// A Connect the server has not answered yet. The kernel keeps its end of
  /// the channel until then, and forgets the whole connect if either side
  /// goes away, so no answer can reach a process that later gets the same
  /// socket descriptor.
  /// A channel's memfd (Channel::createRegion), closed with its holder:
  /// the kernel hands channels on and never maps one.
  class ChannelFd {
  public:
    explicit ChannelFd(int Fd) : Fd(Fd) {}
    ChannelFd(ChannelFd &&Other) noexcept : Fd(std::exchange(Other.Fd, -1)) {}
    ChannelFd &operator=(ChannelFd &&Other) noexcept {
      if (this != &Other) {
        reset();
        Fd = std::exchange(Other.Fd, -1);
      }
      return *this;
    }
    ChannelFd(const ChannelFd &) = delete;
    ChannelFd &operator=(const ChannelFd &) = delete;
    ~ChannelFd() { reset(); }
    int get() const { return Fd; }

  private:
    void reset() {
      if (Fd >= 0)
        ::close(Fd);
      Fd = -1;
    }
    int Fd;
  };
  struct PendingConnect {
    int ClientFd;
    uint32_t ClientSeq;
    int ServerFd;
    pid_t ServerHostPid;
    ChannelFd Chan;
  };

  Status listen();
  /// As init: the pipe a SIGCHLD handler writes to, so that poll wakes
  /// and every exited child is reaped at once.
  Status watchChildren();
  Status spawnBootServers();
  /// One round of the event loop: waits up to \p TimeoutMs.
  void pollOnce(int TimeoutMs);
  /// Whether the socket file is still the one listen() made.
  bool socketStillOurs() const;
  /// Stops taking connections and removes the socket if it is still ours.
  void closeListener();
  /// Takes the connections waiting on the listening socket (up to a
  /// bound), and reads at once what each has sent already: a process
  /// says hello and asks its first Connect right after connecting, so
  /// both are usually there by the time the kernel runs.
  void accept();
  /// Reads and answers \p P's messages waiting on its socket, up to a
  /// bound per round so that one busy process cannot hold the loop.
  void handleAll(Process &P);
  /// Reads and answers one message of \p P; false if there was none, if
  /// \p P is gone (dropped: the reference is dangling then), or if \p P
  /// now waits for what it asked (a Connect answered at once) and so has
  /// sent nothing more.
  bool handle(Process &P);
  /// Reads \p P's effective uid and gid again from the host, for the
  /// channels it makes from now on (MessageType::Credentials).
  void refreshCredentials(Process &P);
  void drop(int Fd);
  void reapChildren();
  /// Sends \p M (with \p PassFd and then \p PassFd2 attached, each if not
  /// -1) to \p P without waiting: into its socket, or behind what is
  /// already queued for it. False if it cannot be (\p P is gone or too far
  /// behind, or the kernel has no descriptor left to keep a copy).
  bool send(Process &P, const Message &M, int PassFd = -1, int PassFd2 = -1);
  /// Sends what is queued for \p P until its socket is full again.
  void flush(Process &P);
  /// Waits for room in \p P's socket, or stops waiting for it, as its
  /// outbox now says.
  void watchRoom(Process &P);
  /// Adds \p Fd to what pollOnce() waits on, for input; false if it
  /// cannot be (the caller then closes it).
  bool watch(int Fd);
  /// Marks \p P to be disconnected at the end of this round.
  void markUnresponsive(Process &P);
  void dropUnresponsive();
  void fail(Process &P, uint32_t Seq, int Errno);
  /// Sends \p Client its Connected for request \p Seq: channel memfd
  /// \p Chan, \p Root (null when the server answers in the channel),
  /// and the server's pid (or, to a client outside the system's pid
  /// namespace, a pidfd of host process \p ServerHostPid).
  void connected(Process &Client, uint32_t Seq, ObjectHandle Root,
                 pid_t ServerHostPid, int Chan);
  void stopEverything();
  /// Makes channels until ReadyChannels are ready (each a sealed memfd
  /// with its header written), between rounds: a Connect then takes one,
  /// so the client's wait for its Connected holds no memfd_create,
  /// ftruncate, seals and header write. Each is new and has reached
  /// nobody: a channel is still made for one connect and given once.
  void stockChannels();
  /// A channel for a Connect: a ready one, or one made now.
  Result<ChannelFd> takeChannel();

  KernelOptions Options;
  int ListenFd = -1;
  /// The read end of watchChildren()'s pipe, or -1.
  int ChildWakeFd = -1;
  /// The socket file listen() made (device and inode tell it from a new
  /// one at the same path).
  struct stat Socket {};
  /// When run() last checked that the socket file is still Socket: at most
  /// every SocketCheckMs, not every round (a stat per message it reads).
  std::chrono::steady_clock::time_point SocketChecked{};
  bool ShuttingDown = false;
  ProcessId NextPid = 1;
  uint32_t NextSeq = 1;
  /// Until when personality processes' connects are refused (RefuseLinuxMs).
  std::chrono::steady_clock::time_point RefuseLinuxUntil{};
  std::map<int, Process> Processes;           // by socket fd
  std::map<std::string, int> Services;        // path -> server socket fd
  std::map<uint32_t, PendingConnect> Pending; // by the NewClient Seq
  std::vector<std::pair<int, ProcessId>> Unresponsive; // fd, pid
  std::vector<pid_t> Spawned;
  /// Channels made ahead of need (stockChannels()), taken newest first.
  std::vector<ChannelFd> Stock;
  /// What pollOnce() waits on: the listening socket, the SIGCHLD pipe and
  /// every process's socket, each added once (accept()) and gone with its
  /// descriptor, so that a round costs the kernel the descriptors that
  /// are ready, not one look at every process's.
  int EpollFd = -1;
};

} // namespace k42::kernel

#endif // K42_KERNEL_LIB_KERNEL_H
