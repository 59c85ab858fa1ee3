//===- test/unit/ForkedServer.h - A PPC server in a child process -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// What the cross-process unit tests share: a ChannelServer running in a
/// forked child (which dies with the test if the test dies), a
/// ChannelTransport to it in the test, and pinning a thread to a
/// processor. The kernel is not involved; test/system does that.
///
//===----------------------------------------------------------------------===//

#ifndef K42_TEST_UNIT_FORKEDSERVER_H
#define K42_TEST_UNIT_FORKEDSERVER_H

#include <k42/ipc/ChannelServer.h>
#include <k42/ipc/ChannelTransport.h>

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <functional>
#include <memory>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace k42test {

/// A server process serving one channel. \p Export runs in the child: it
/// puts the objects to serve into the table (for the client's pid) and
/// returns the handle the test gets; \p Started, if set, sees the running
/// ChannelServer (e.g. for its notifier).
class ForkedServer {
public:
  using ExportFn = std::function<k42::Result<k42::ObjectHandle>(
      k42::HandleTable &Table, const k42::Badge &Client)>;
  using StartedFn = std::function<void(k42::ChannelServer &)>;

  ForkedServer(k42::Badge Client, uint32_t Slots, ExportFn Export,
               k42::ChannelServerOptions Options = {},
               StartedFn Started = {}) {
    k42::Result<k42::Channel> Chan = k42::Channel::create(Slots);
    EXPECT_TRUE(Chan.isOk());
    int Pipe[2];
    EXPECT_EQ(pipe(Pipe), 0);
    int ServerFd = dup(Chan->fd());
    Pid = fork();
    if (Pid == 0) {
      close(Pipe[0]);
      serve(ServerFd, Pipe[1], Client, Export, Options, Started);
    }
    close(ServerFd);
    close(Pipe[1]);
    EXPECT_EQ(read(Pipe[0], &Handle, sizeof(Handle)), ssize_t(sizeof(Handle)));
    close(Pipe[0]);
    Transport = std::make_unique<k42::ChannelTransport>(
        std::move(*Chan), int(syscall(SYS_pidfd_open, Pid, 0)));
  }

  ~ForkedServer() {
    Transport.reset(); // Closes the channel: the server exits.
    waitpid(Pid, nullptr, 0);
  }

  /// Waits for the server to exit (after the transport is gone) and says
  /// whether it exited cleanly.
  bool exitedCleanly() {
    Transport.reset();
    int Status = 0;
    if (waitpid(Pid, &Status, 0) != Pid)
      return false;
    Pid = -1;
    return WIFEXITED(Status) && WEXITSTATUS(Status) == 0;
  }

  pid_t Pid;
  k42::ObjectHandle Handle;
  std::unique_ptr<k42::ChannelTransport> Transport;

private:
  [[noreturn]] static void serve(int Fd, int HandleOut, k42::Badge Client,
                                 const ExportFn &Export,
                                 k42::ChannelServerOptions Options,
                                 const StartedFn &Started) {
    // A test that fails mid-way must not leave its server behind.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    k42::Result<k42::Channel> Chan = k42::Channel::attach(Fd);
    if (!Chan)
      _exit(2);
    k42::HandleTable Table(/*Endpoint=*/7, 64);
    k42::Result<k42::ObjectHandle> H = Export(Table, Client);
    k42::ChannelServer Server(std::move(*Chan), Client, Table, Options);
    if (Started)
      Started(Server);
    if (!H || write(HandleOut, &*H, sizeof(*H)) != ssize_t(sizeof(*H)))
      _exit(3);
    close(HandleOut);
    Server.start();
    while (!Server.clientClosed())
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    Server.stop();
    _exit(0);
  }
};

/// The processors this process may run on.
inline std::vector<int> allowedCpus() {
  cpu_set_t Set;
  std::vector<int> Cpus;
  if (sched_getaffinity(0, sizeof(Set), &Set) == 0)
    for (int I = 0; I < CPU_SETSIZE; ++I)
      if (CPU_ISSET(I, &Set))
        Cpus.push_back(I);
  return Cpus;
}

/// Runs \p Body on a thread pinned to \p Cpu.
template <typename Fn> void onCpu(int Cpu, Fn &&Body) {
  std::thread T([&] {
    cpu_set_t One;
    CPU_ZERO(&One);
    CPU_SET(Cpu, &One);
    ASSERT_EQ(sched_setaffinity(0, sizeof(One), &One), 0);
    Body();
  });
  T.join();
}

} // namespace k42test

#endif // K42_TEST_UNIT_FORKEDSERVER_H
