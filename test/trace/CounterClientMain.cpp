//===- test/trace/CounterClientMain.cpp - A traced client -----------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// k42-trace-counter-client N: calls Counter::add N times, marking each
/// call in the trace from the client's side too (a user event before the
/// call), then prints the total.
///
//===----------------------------------------------------------------------===//

#include "Counter.k42.h"

#include <k42/kernel/KernelLink.h>
#include <k42/trace/Trace.h>

#include "NameClient.h"

#include <cstdio>
#include <cstdlib>
#include <string>

using namespace k42;
using namespace k42::kernel;

int main(int Argc, char **Argv) {
  unsigned long Calls = Argc > 1 ? std::strtoul(Argv[1], nullptr, 0) : 1;
  Result<std::unique_ptr<KernelLink>> Link =
      KernelLink::connect("counter-client", KernelLink::defaultSocketPath());
  if (!Link) {
    std::fprintf(stderr, "counter-client: cannot reach the kernel: %s\n",
                 std::string(Link.status().message()).c_str());
    return 1;
  }
  Result<ServiceConnection> Service = name::open(**Link, "/services/counter");
  if (!Service)
    return 1;
  Result<tracetest::StubCounter> Stub =
      tracetest::StubCounter::bind(*Service->Transport, Service->Root);
  if (!Stub)
    return 1;
  uint64_t Total = 0;
  for (unsigned long I = 0; I < Calls; ++I) {
    trace::event(trace::Major::User, 1, "add " + std::to_string(I));
    if (Status S = Stub->add(1, Total); !S) {
      std::fprintf(stderr, "counter-client: add: %s\n",
                   std::string(S.message()).c_str());
      return 1;
    }
  }
  std::printf("counter-client: %lu call(s), total %llu\n", Calls,
              static_cast<unsigned long long>(Total));
  return 0;
}
