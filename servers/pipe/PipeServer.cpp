//===- servers/pipe/PipeServer.cpp - The pipe server ----------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "PipeServer.h"
#include "NameClient.h"
#include "PipeService.k42.h"

#include <k42/kernel/KernelLink.h>
#include <k42/kernel/ServiceHost.h>

#include <cinttypes>
#include <cstdio>
#include <thread>

using namespace k42;
using namespace k42::pipe;

Status PipeServer::stats(uint64_t &Live, uint64_t &Made) {
  Registry.drain();
  Registry.stats(Live, Made);
  return Status::ok();
}

Status PipeServer::list(std::vector<uint64_t> &Pipes) {
  Registry.drain();
  Pipes = Registry.list();
  return Status::ok();
}

Status PipeServer::syncs(uint64_t &Answered) {
  Answered = Registry.syncs();
  return Status::ok();
}

namespace {
/// The pipe server's path, published with the name server.
constexpr const char *ServicePath = "/services/pipe";

std::string socketBeside(const std::string &KernelSocket) {
  size_t Slash = KernelSocket.rfind('/');
  return (Slash == std::string::npos ? std::string(".")
                                     : KernelSocket.substr(0, Slash)) +
         "/pipe.sock";
}
} // namespace

int k42::pipe::pipeServerMain(int Argc, char **Argv) {
  (void)Argv;
  if (Argc != 1) {
    std::fprintf(stderr, "usage: k42-pipe-server\n");
    return 2;
  }
  std::string Kernel = kernel::KernelLink::defaultSocketPath();
  Result<std::unique_ptr<kernel::KernelLink>> Link =
      kernel::KernelLink::connect("pipe", Kernel);
  if (!Link) {
    std::fprintf(stderr, "k42-pipe-server: cannot reach the kernel: %s\n",
                 std::string(Link.status().message()).c_str());
    return 1;
  }
  PipeRegistry Registry;
  // The socket exists before the kernel hears this server is up, so every
  // program started on the booted system finds it.
  if (Status S = Registry.listen(socketBeside(Kernel)); !S) {
    std::fprintf(stderr, "k42-pipe-server: cannot listen: %s\n",
                 std::string(S.message()).c_str());
    return 1;
  }
  std::thread Loop([&Registry] { Registry.run(); });
  PipeServer Server(Registry);
  XPipeService Exported(Server);
  int Code = 0;
  if (Status S = name::publish(**Link, ServicePath); !S) {
    std::fprintf(stderr, "k42-pipe-server: cannot publish %s: %s\n",
                 ServicePath, std::string(S.message()).c_str());
    Code = 1;
  } else {
    kernel::ServiceHost Host(**Link);
    Code = Host.serve(Exported, MetaPipeService::Rights::all).isOk() ? 0 : 1;
  }
  Registry.stop();
  Loop.join();
  return Code;
}

int k42::pipe::pipeToolMain(int Argc, char **Argv) {
  bool List = Argc == 2 && std::string(Argv[1]) == "list";
  if (Argc > 2 || (Argc == 2 && !List)) {
    std::fprintf(stderr, "usage: k42-pipe [list]\n");
    return 2;
  }
  Result<std::unique_ptr<kernel::KernelLink>> Link =
      kernel::KernelLink::connect("k42-pipe",
                                  kernel::KernelLink::defaultSocketPath());
  if (!Link) {
    std::fprintf(stderr, "k42-pipe: cannot reach the kernel: %s\n",
                 std::string(Link.status().message()).c_str());
    return 1;
  }
  Result<kernel::ServiceConnection> Service = name::open(**Link, ServicePath);
  if (!Service) {
    std::fprintf(stderr, "k42-pipe: no pipe server: %s\n",
                 std::string(Service.status().message()).c_str());
    return 1;
  }
  Result<StubPipeService> Stub =
      StubPipeService::bind(*Service->Transport, Service->Root);
  if (!Stub) {
    std::fprintf(stderr, "k42-pipe: %s\n",
                 std::string(Stub.status().message()).c_str());
    return 1;
  }
  uint64_t Live = 0, Made = 0;
  if (Status S = Stub->stats(Live, Made); !S) {
    std::fprintf(stderr, "k42-pipe: %s\n", std::string(S.message()).c_str());
    return 1;
  }
  uint64_t Syncs = 0;
  if (Status S = Stub->syncs(Syncs); !S) {
    std::fprintf(stderr, "k42-pipe: %s\n", std::string(S.message()).c_str());
    return 1;
  }
  std::printf("pipes live %" PRIu64 " made %" PRIu64 " syncs %" PRIu64 "\n",
              Live, Made, Syncs);
  if (List) {
    std::vector<uint64_t> Pipes;
    if (Status S = Stub->list(Pipes); !S)
      return 1;
    for (size_t I = 0; I + 3 < Pipes.size(); I += 4)
      std::printf("pipe %" PRIu64 " bytes %" PRIu64 " readers %s writers %s\n",
                  Pipes[I], Pipes[I + 1], Pipes[I + 2] ? "yes" : "no",
                  Pipes[I + 3] ? "yes" : "no");
  }
  return 0;
}
