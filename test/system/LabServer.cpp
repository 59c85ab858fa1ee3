//===- test/system/LabServer.cpp - Servers for the system tests -----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// k42-lab-server kinds|ticker|tally|gauge: a K42 server process for the
/// system tests.
///
///   kinds    publishes /services/kinds: an AllKinds object (every parameter
///            kind, with rights read/write/admin), where positive(999)
///            sleeps 600 ms (a method that blocks) and wipe() never returns
///            (so a test can kill the server mid-call);
///   ticker   publishes /services/ticker: a Ticker that sends notifications
///            back over the calling client's own channel;
///   tally    publishes /services/tally: a Tally served as a clustered
///            object; once clients call it, four threads of the server call
///            it too while it is hot-swapped 1000 times between two
///            implementations (a rep per processor, one shared rep);
///   gauge    publishes /services/gauge: a Gauge served as a clustered
///            object named "gauge" in the process's swap registry, with
///            two more, "spare1" and "spare2", that nobody calls; all three
///            start as implementation "plain" (of plain, loud, halves) and
///            are swapped from outside, by `utils/k42 swap` (swap.test).
///
/// Every client gets every right; tests narrow them with giveAccess.
///
//===----------------------------------------------------------------------===//

#include "AllKinds.k42.h"
#include "AllKindsImpl.h"
#include "EventsImpl.h"
#include "Gauge.k42.h"
#include "Tally.k42.h"

#include <k42/cobj/PerProcessorRoot.h>
#include <k42/cobj/Registry.h>
#include <k42/cobj/SharedRoot.h>

#include <k42/kernel/KernelLink.h>
#include <k42/kernel/ServiceHost.h>
#include <k42/swap/SwapControlServer.h>

#include "NameClient.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

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

//===--------------------------------------------------------------------===//
// The tally: two implementations and the swapping.
//===--------------------------------------------------------------------===//

std::atomic<bool> SwapsDone{false};
std::atomic<uint64_t> LocalCalls{0};
std::atomic<uint32_t> SwapsMade{0};

/// The part of stats() every implementation shares.
Status tallyStats(uint64_t Count, uint64_t &Value, bool &Done,
                  uint64_t &Local, uint32_t &Swaps) {
  Value = Count;
  Done = SwapsDone.load();
  Local = LocalCalls.load();
  Swaps = SwapsMade.load();
  return Status::ok();
}

/// What both implementations count with: inc() and add() on one word.
class CountingTally : public labtest::Tally {
public:
  Status inc() override {
    N.fetch_add(1);
    return Status::ok();
  }
  Status add(uint64_t V) override {
    N.fetch_add(V);
    return Status::ok();
  }

protected:
  alignas(64) std::atomic<uint64_t> N{0};
};

/// A rep per processor; the count sums them.
class SpreadTally final : public CountingTally {
public:
  using RootType = cobj::PerProcessorRoot<labtest::Tally, SpreadTally>;
  SpreadTally(RootType &Root, uint32_t) : Root(Root) {}
  Status stats(uint64_t &Value, bool &Done, uint64_t &Local,
               uint32_t &Swaps) override {
    uint64_t Sum = 0;
    Root.forEachRep([&](SpreadTally &R) { Sum += R.N.load(); });
    return tallyStats(Sum, Value, Done, Local, Swaps);
  }

private:
  RootType &Root;
};

/// One rep for everyone.
class SharedTally final : public CountingTally {
public:
  Status stats(uint64_t &Value, bool &Done, uint64_t &Local,
               uint32_t &Swaps) override {
    return tallyStats(N.load(), Value, Done, Local, Swaps);
  }
};

/// Waits for clients' calls, then swaps \p Object 1000 times while four
/// threads of this process call it too.
void swapUnderLoad(cobj::Ref<labtest::Tally> Object) {
  auto count = [&] {
    uint64_t V = 0, L = 0;
    bool D = false;
    uint32_t S = 0;
    (void)Object->stats(V, D, L, S);
    return V;
  };
  while (count() < 1000)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::atomic<bool> Stop{false};
  std::atomic<uint32_t> Calling{0};
  std::vector<std::thread> Local;
  for (int T = 0; T < 4; ++T)
    Local.emplace_back([&] {
      uint64_t Mine = 0;
      while (!Stop.load(std::memory_order_relaxed)) {
        Mine += Object->inc().isOk();
        if (Mine == 100)
          ++Calling;
      }
      LocalCalls += Mine;
    });
  // Swap only once the local threads are calling too.
  while (Calling.load() < 4)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  auto Move = [](cobj::Root<labtest::Tally> &Old,
                 cobj::Root<labtest::Tally> &New) -> Status {
    uint64_t V = 0, L = 0;
    bool D = false;
    uint32_t S = 0;
    if (Status Got = Old.repFor(0)->stats(V, D, L, S); !Got)
      return Got;
    return New.repFor(0)->add(V);
  };
  for (int Round = 1; Round <= 1000; ++Round) {
    std::unique_ptr<cobj::Root<labtest::Tally>> Next;
    if (Round % 2)
      Next = std::make_unique<cobj::SharedRoot<labtest::Tally, SharedTally>>();
    else
      Next = std::make_unique<SpreadTally::RootType>();
    if (Object.swap(std::move(Next), Move))
      ++SwapsMade;
  }
  Stop = true;
  for (std::thread &T : Local)
    T.join();
  SwapsDone = true;
}

int fail(const char *What, Status S) {
  std::fprintf(stderr, "lab-server: %s: %s\n", What,
               std::string(S.message()).c_str());
  return 1;
}

/// The gauge role: three named gauges in the swap registry, the first
/// served to clients, all swappable through the swap control object.
int serveGauges(KernelLink &Link, ServiceHost &Host) {
  using labtest::Gauge;
  constexpr std::string_view Interface = labtest::MetaGauge::Name;
  cobj::Registry &Swaps = cobj::Registry::process();
  if (Status S = Swaps.addImplementation<Gauge>(
          Interface, "plain",
          cobj::stateImplementation<Gauge, labtest::PlainGauge,
                                    labtest::StatePlainGauge>());
      !S)
    return fail("cannot add implementation plain", S);
  if (Status S = Swaps.addImplementation<Gauge>(
          Interface, "loud",
          cobj::stateImplementation<Gauge, labtest::LoudGauge,
                                    labtest::StateLoudGauge>());
      !S)
    return fail("cannot add implementation loud", S);
  if (Status S = Swaps.addImplementation<Gauge>(
          Interface, "halves",
          cobj::stateImplementation<Gauge, labtest::HalvesGauge,
                                    labtest::StateHalvesGauge>());
      !S)
    return fail("cannot add implementation halves", S);
  std::vector<cobj::Ref<Gauge>> Gauges;
  for (const char *Name : {"gauge", "spare1", "spare2"}) {
    auto Object = cobj::Ref<Gauge>::create(
        std::make_unique<cobj::SharedRoot<Gauge, labtest::PlainGauge>>(
            std::string(Name)));
    if (!Object)
      return fail("cannot make a gauge", Object.status());
    if (Status S = Swaps.publish(Name, Interface, *Object, "plain"); !S)
      return fail("cannot name a gauge", S);
    Gauges.push_back(*Object);
  }
  if (Status S = swap::exportSwapControl(Host); !S)
    return fail("cannot serve the swap control", S);
  labtest::ClusteredGauge Forward(Gauges.front());
  labtest::XGauge X(Forward);
  if (Status S = name::publish(Link, "/services/gauge"); !S)
    return fail("cannot publish /services/gauge", S);
  return Host.serve(X, labtest::MetaGauge::Rights::all).isOk() ? 0 : 1;
}

} // namespace

int main(int Argc, char **Argv) {
  std::string Role = Argc > 1 ? Argv[1] : "";
  if (Role != "kinds" && Role != "ticker" && Role != "tally" &&
      Role != "gauge") {
    std::fprintf(stderr, "usage: k42-lab-server kinds|ticker|tally|gauge\n");
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
  if (Role == "gauge")
    return serveGauges(**Link, Host);
  if (Role == "tally") {
    auto Object = cobj::Ref<labtest::Tally>::create(
        std::make_unique<SpreadTally::RootType>());
    if (!Object)
      return fail("cannot make the tally", Object.status());
    labtest::ClusteredTally Forward(*Object);
    labtest::XTally X(Forward);
    if (Status S = name::publish(**Link, Path); !S)
      return fail("cannot publish /services/tally", S);
    std::thread Swapper(swapUnderLoad, *Object);
    Swapper.detach(); // Runs until the swapping is done or the process ends.
    return Host.serve(X, labtest::MetaTally::Rights::all).isOk() ? 0 : 1;
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
