//===- test/system/StressClient.cpp - Many threads calling hello ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// k42-stress-client THREADS CALLS: one client process whose THREADS
/// threads each make CALLS greet() calls to /services/hello over one
/// kernel-made channel, each with its own name, and check every reply.
/// Prints "stress: <threads> x <calls> calls, <wrong> wrong" and exits 0
/// only if none was wrong.
///
//===----------------------------------------------------------------------===//

#include "Hello.k42.h"

#include <k42/kernel/KernelLink.h>

#include "NameClient.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

using namespace k42;
using namespace k42::kernel;

int main(int Argc, char **Argv) {
  int Threads = Argc > 1 ? std::atoi(Argv[1]) : 16;
  int Calls = Argc > 2 ? std::atoi(Argv[2]) : 200;
  Result<std::unique_ptr<KernelLink>> Link =
      KernelLink::connect("stress-client", KernelLink::defaultSocketPath());
  if (!Link)
    return 1;
  Result<ServiceConnection> Service = name::open(**Link, "/services/hello");
  if (!Service) {
    std::fprintf(stderr, "stress: connect: %s\n",
                 std::string(Service.status().message()).c_str());
    return 1;
  }
  std::atomic<int> Wrong{0};
  std::vector<std::thread> Workers;
  for (int T = 0; T < Threads; ++T)
    Workers.emplace_back([&, T] {
      Result<hello::StubHello> Stub =
          hello::StubHello::bind(*Service->Transport, Service->Root);
      if (!Stub) {
        Wrong += Calls;
        return;
      }
      for (int I = 0; I < Calls; ++I) {
        std::string Name =
            "p" + std::to_string((*Link)->self().Pid) + "t" +
            std::to_string(T) + "c" + std::to_string(I);
        std::string Greeting;
        if (!Stub->greet(Name, Greeting) || Greeting != "hello, " + Name + "!")
          ++Wrong;
      }
    });
  for (std::thread &W : Workers)
    W.join();
  std::printf("stress: %d x %d calls, %d wrong\n", Threads, Calls,
              Wrong.load());
  return Wrong.load() == 0 ? 0 : 1;
}
