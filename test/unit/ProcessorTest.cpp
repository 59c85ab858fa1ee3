//===- test/unit/ProcessorTest.cpp - Calls served for the caller's CPU ----===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A server process whose X object reports, for each call, the processor
/// the call is served for (CallContext::Processor and currentProcessor())
/// and the one its worker actually runs on. A client thread pinned to each
/// processor in turn checks that the first two are always its own, and,
/// with ChannelServerOptions::FollowCaller, the third too.
///
//===----------------------------------------------------------------------===//

#include <k42/ipc/ChannelServer.h>
#include <k42/ipc/ChannelTransport.h>
#include <k42/ipc/PPCReader.h>
#include <k42/ipc/PPCWriter.h>
#include <k42/ipc/Processor.h>
#include <k42/ipc/XObject.h>

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

constexpr k42::Badge ClientBadge{300, 1000, 1000, 0};

/// Answers every call with three processor numbers.
class WhereObject final : public k42::XObject {
public:
  void dispatch(const k42::CallContext &Context, const k42::PPCPage &,
                k42::PPCPage &Reply) override {
    k42::PPCWriter Out(Reply);
    Out.put<uint32_t>(Context.Processor);
    Out.put<uint32_t>(k42::currentProcessor());
    Out.put<uint32_t>(uint32_t(sched_getcpu()));
    Reply.Status = Out.finish().raw();
  }
  const k42::InterfaceInfo &interfaceInfo() const override { return Info; }

private:
  k42::InterfaceInfo Info{};
};

struct Where {
  uint32_t Context, Current, Running;
};

class WhereServer {
public:
  explicit WhereServer(k42::ChannelServerOptions Options) {
    k42::Result<k42::Channel> Chan = k42::Channel::create(4);
    EXPECT_TRUE(Chan.isOk());
    int Pipe[2];
    EXPECT_EQ(pipe(Pipe), 0);
    int ServerFd = dup(Chan->fd());
    Pid = fork();
    if (Pid == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      k42::Result<k42::Channel> Mine = k42::Channel::attach(ServerFd);
      k42::HandleTable Table(/*Endpoint=*/3, 4);
      WhereObject X;
      k42::Result<k42::ObjectHandle> H = Table.insert(X, 1, ClientBadge.Pid);
      if (!Mine || !H || write(Pipe[1], &*H, sizeof(*H)) != sizeof(*H))
        _exit(3);
      k42::ChannelServer Server(std::move(*Mine), ClientBadge, Table, Options);
      Server.start();
      while (!Server.clientClosed())
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      Server.stop();
      _exit(0);
    }
    close(ServerFd);
    EXPECT_EQ(read(Pipe[0], &Handle, sizeof(Handle)), ssize_t(sizeof(Handle)));
    close(Pipe[0]);
    close(Pipe[1]);
    Transport = std::make_unique<k42::ChannelTransport>(
        std::move(*Chan), int(syscall(SYS_pidfd_open, Pid, 0)));
  }
  ~WhereServer() {
    Transport.reset();
    waitpid(Pid, nullptr, 0);
  }

  Where ask() {
    k42::CallBuffers &Pages = Transport->buffers();
    Pages.Request.MethodId = 1;
    Pages.Request.Length = 0;
    Where W{~0u, ~0u, ~0u};
    if (!Transport->call(Handle, Pages))
      return W;
    k42::PPCReader In(Pages.Reply);
    In.get(W.Context);
    In.get(W.Current);
    In.get(W.Running);
    return W;
  }

  pid_t Pid;
  k42::ObjectHandle Handle;
  std::unique_ptr<k42::ChannelTransport> Transport;
};

/// The processors this process may use.
std::vector<int> allowedCpus() {
  cpu_set_t Set;
  std::vector<int> Cpus;
  if (sched_getaffinity(0, sizeof(Set), &Set) == 0)
    for (int I = 0; I < CPU_SETSIZE; ++I)
      if (CPU_ISSET(I, &Set))
        Cpus.push_back(I);
  return Cpus;
}

/// Runs \p Fn on a thread pinned to \p Cpu.
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

TEST(ProcessorTest, CallsAreServedForTheCallersProcessor) {
  WhereServer Server({});
  for (int Cpu : allowedCpus())
    onCpu(Cpu, [&] {
      for (int I = 0; I < 20; ++I) {
        Where W = Server.ask();
        EXPECT_EQ(W.Context, uint32_t(Cpu));
        EXPECT_EQ(W.Current, uint32_t(Cpu));
      }
    });
  // Outside a call, a thread works for the processor it runs on.
  onCpu(allowedCpus().front(), [&] {
    EXPECT_EQ(k42::currentProcessor(), uint32_t(allowedCpus().front()));
  });
}

TEST(ProcessorTest, FollowCallerRunsTheWorkerOnTheCallersProcessor) {
  WhereServer Server({/*FollowCaller=*/true});
  for (int Cpu : allowedCpus())
    onCpu(Cpu, [&] {
      for (int I = 0; I < 20; ++I) {
        Where W = Server.ask();
        EXPECT_EQ(W.Context, uint32_t(Cpu));
        EXPECT_EQ(W.Running, uint32_t(Cpu));
      }
    });
}

} // namespace
