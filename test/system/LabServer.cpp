//===- test/system/LabServer.cpp - Servers for the system tests -----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// k42-lab-server kinds|ticker: a K42 server process for the system tests.
///
///   kinds    publishes /services/kinds: an AllKinds object (every parameter
///            kind, with rights read/write/admin), where positive(999)
///            sleeps 600 ms (a method that blocks) and wipe() never returns
///            (so a test can kill the server mid-call);
///   ticker   publishes /services/ticker: a Ticker that sends notifications
///            back over the calling client's own channel.
///
/// Every client gets every right; tests narrow them with giveAccess.
///
//===----------------------------------------------------------------------===//

#include "AllKinds.k42.h"
#include "AllKindsImpl.h"
#include "EventsImpl.h"

#include <k42/kernel/KernelLink.h>
#include <k42/kernel/ServiceHost.h>

#include "NameClient.h"

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <unistd.h>

using namespace k42;
using namespace k42::kernel;

namespace {

class LabKinds : public alltest::AllKindsImpl {
public:
  Status positive(int64_t Value) override {
    if (Value == 999) // Blocks, as a call to a slow disk would.
      std::this_thread::sleep_for(std::chrono::milliseconds(600));
    return AllKindsImpl::positive(Value);
  }
  Status wipe() override {
    pause(); // Never returns: the test kills this server meanwhile.
    return Status::ok();
  }
};

int fail(const char *What, Status S) {
  std::fprintf(stderr, "lab-server: %s: %s\n", What,
               std::string(S.message()).c_str());
  return 1;
}

} // namespace

int main(int Argc, char **Argv) {
  std::string Role = Argc > 1 ? Argv[1] : "";
  if (Role != "kinds" && Role != "ticker") {
    std::fprintf(stderr, "usage: k42-lab-server kinds|ticker\n");
    return 2;
  }
  Result<std::unique_ptr<KernelLink>> Link = KernelLink::connect(
      "lab-" + Role, KernelLink::defaultSocketPath());
  if (!Link)
    return fail("cannot reach the kernel", Link.status());
  ServiceHost Host(**Link);
  std::string Path = "/services/" + Role;

  if (Role == "kinds") {
    LabKinds Impl;
    alltest::XAllKinds X(Impl);
    if (Status S = name::publish(**Link, Path); !S)
      return fail("cannot publish /services/kinds", S);
    return Host.serve(X, alltest::MetaAllKinds::Rights::all).isOk() ? 0 : 1;
  }
  eventtest::TickerImpl Impl(
      [&](const Badge &Caller) -> std::shared_ptr<Transport> {
        return Host.notifier(Caller);
      });
  eventtest::XTicker X(Impl);
  if (Status S = name::publish(**Link, Path); !S)
    return fail("cannot publish /services/ticker", S);
  return Host.serve(X, eventtest::MetaTicker::Rights::all).isOk() ? 0 : 1;
}
