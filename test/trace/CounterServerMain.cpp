//===- test/trace/CounterServerMain.cpp - The traced server ---------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// k42-trace-counter-server: serves /services/counter through the traced
/// XCounter, so every call shows in the trace.
///
//===----------------------------------------------------------------------===//

#include "Counter.k42.h"
#include "CounterImpl.h"

#include <k42/kernel/KernelLink.h>
#include <k42/kernel/ServiceHost.h>

#include "NameClient.h"

#include <cstdio>
#include <string>

using namespace k42;
using namespace k42::kernel;

int main() {
  Result<std::unique_ptr<KernelLink>> Link =
      KernelLink::connect("counter-server", KernelLink::defaultSocketPath());
  if (!Link) {
    std::fprintf(stderr, "counter-server: cannot reach the kernel: %s\n",
                 std::string(Link.status().message()).c_str());
    return 1;
  }
  tracetest::CounterImpl Impl;
  tracetest::XCounter Exported(Impl);
  if (Status S = name::publish(**Link, "/services/counter"); !S) {
    std::fprintf(stderr, "counter-server: cannot publish: %s\n",
                 std::string(S.message()).c_str());
    return 1;
  }
  ServiceHost Host(**Link);
  return Host.serve(Exported, tracetest::MetaCounter::Rights::all).isOk() ? 0
                                                                          : 1;
}
