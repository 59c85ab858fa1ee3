//===- examples/hello/HelloClientMain.cpp - hello's client process --------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A client in a process of its own: asks the kernel for a channel to
/// /services/hello and calls the hello server through the generated stub.
///
//===----------------------------------------------------------------------===//

#include "Hello.k42.h"

#include <k42/kernel/KernelLink.h>

#include "NameClient.h"

#include <cstdio>
#include <string>
#include <unistd.h>

using namespace k42;
using namespace k42::kernel;

namespace {

bool report(const char *Step, Status S) {
  std::printf("%-26s -> %s\n", Step, std::string(S.message()).c_str());
  return S.isOk();
}

} // namespace

int main(int Argc, char **Argv) {
  std::string Name = Argc > 1 ? Argv[1] : "world";
  Result<std::unique_ptr<KernelLink>> Link =
      KernelLink::connect("hello-client", KernelLink::defaultSocketPath());
  if (!Link) {
    std::fprintf(stderr, "hello-client: cannot reach the kernel: %s\n",
                 std::string(Link.status().message()).c_str());
    return 1;
  }
  std::printf("client: K42 pid %u, host pid %d\n", (*Link)->self().Pid,
              int(getpid()));
  Result<ServiceConnection> Service = name::open(**Link, "/services/hello");
  if (!report("connect /services/hello", Service.status()))
    return 1;
  Result<hello::StubHello> Stub =
      hello::StubHello::bind(*Service->Transport, Service->Root);
  if (!report("bind StubHello", Stub.status()))
    return 1;

  std::string Greeting;
  if (!report("greet()", Stub->greet(Name, Greeting)))
    return 1;
  std::printf("  greeting: %s\n", Greeting.c_str());
  uint32_t Pid = 0;
  if (!report("whoAmI()", Stub->whoAmI(Pid)))
    return 1;
  std::printf("  the server sees K42 pid %u (%s)\n", Pid,
              Pid == (*Link)->self().Pid ? "the kernel's badge for me"
                                         : "WRONG");
  uint64_t Count = 0;
  if (!report("count()", Stub->count(Count)))
    return 1;
  std::printf("  greetings so far: %llu\n", (unsigned long long)Count);
  report("greet(\"\") (refused)", Stub->greet("", Greeting));
  return Pid == (*Link)->self().Pid ? 0 : 1;
}
