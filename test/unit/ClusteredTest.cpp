//===- test/unit/ClusteredTest.cpp - Clustered objects ---------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Clustered objects through the translation tables: per-processor reps
/// made on first use, a shared rep, a distribution of the test's own, an
/// operation that visits every rep, deletion only after the calls that
/// found the object are over, and stale references after reuse.
///
//===----------------------------------------------------------------------===//

#include "AllKinds.k42.h"
#include "AllKindsImpl.h"
#include "Meters.k42.h"

#include <k42/cobj/PerProcessorRoot.h>
#include <k42/cobj/Ref.h>
#include <k42/cobj/SharedRoot.h>
#include <k42/cobj/StateTransfer.h>
#include "ForkedServer.h"

#include <k42/ipc/InProcTransport.h>
#include <k42/ipc/Processor.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using namespace k42::cobj;

namespace {

class Counter {
public:
  virtual ~Counter() = default;
  virtual void inc() = 0;
  virtual uint64_t value() = 0;
  /// The processor the rep was made for.
  virtual uint32_t home() const = 0;
};

/// inc() is local to the caller's processor; value() sums the reps.
class CounterRep final : public Counter {
public:
  using RootType = PerProcessorRoot<Counter, CounterRep>;
  CounterRep(RootType &Root, uint32_t Processor)
      : Root(Root), Processor(Processor) {
    Made.fetch_add(1);
  }
  ~CounterRep() override { Freed.fetch_add(1); }

  void inc() override { Local.fetch_add(1, std::memory_order_relaxed); }
  uint64_t value() override {
    uint64_t Sum = 0;
    Root.forEachRep([&](CounterRep &Each) { Sum += Each.Local.load(); });
    return Sum;
  }
  uint32_t home() const override { return Processor; }

  static inline std::atomic<int> Made{0};
  static inline std::atomic<int> Freed{0};

private:
  RootType &Root;
  uint32_t Processor;
  alignas(64) std::atomic<uint64_t> Local{0};
};

using k42test::allowedCpus;
using k42test::onCpu;

TEST(ClusteredTest, EachProcessorGetsItsOwnRepOnFirstUse) {
  int MadeBefore = CounterRep::Made.load();
  auto Root = std::make_unique<CounterRep::RootType>();
  k42::Result<Ref<Counter>> C = Ref<Counter>::create(std::move(Root));
  ASSERT_TRUE(C.isOk());
  EXPECT_EQ(CounterRep::Made.load(), MadeBefore) << "reps are made on a miss";

  std::vector<int> Cpus = allowedCpus();
  for (int Cpu : Cpus)
    onCpu(Cpu, [&] {
      for (int I = 0; I < 1000; ++I)
        (*C)->inc();
      EXPECT_EQ((*C)->home(), uint32_t(Cpu));
    });
  EXPECT_EQ(CounterRep::Made.load(), MadeBefore + int(Cpus.size()));
  EXPECT_EQ((*C)->value(), 1000 * Cpus.size());
  ASSERT_TRUE(C->destroy().isOk());
  Quiescence::synchronize();
}

TEST(ClusteredTest, ConcurrentIncrementsAreAllCounted) {
  k42::Result<Ref<Counter>> C =
      Ref<Counter>::create(std::make_unique<CounterRep::RootType>());
  ASSERT_TRUE(C.isOk());
  std::vector<std::thread> Threads;
  for (int T = 0; T < 8; ++T)
    Threads.emplace_back([&] {
      for (int I = 0; I < 50000; ++I)
        (*C)->inc();
    });
  for (std::thread &T : Threads)
    T.join();
  EXPECT_EQ((*C)->value(), 8u * 50000);
  ASSERT_TRUE(C->destroy().isOk());
}

class Shared final : public Counter {
public:
  void inc() override { N.fetch_add(1); }
  uint64_t value() override { return N.load(); }
  uint32_t home() const override { return 0; }

private:
  std::atomic<uint64_t> N{0};
};

TEST(ClusteredTest, ASharedRootServesEveryProcessorWithOneRep) {
  k42::Result<Ref<Counter>> C =
      Ref<Counter>::create(std::make_unique<SharedRoot<Counter, Shared>>());
  ASSERT_TRUE(C.isOk());
  std::vector<Counter *> Seen;
  for (int Cpu : allowedCpus())
    onCpu(Cpu, [&] {
      auto Rep = C->pin();
      ASSERT_TRUE(bool(Rep));
      Seen.push_back(&*Rep);
      Rep->inc();
    });
  for (Counter *Each : Seen)
    EXPECT_EQ(Each, Seen.front());
  EXPECT_EQ((*C)->value(), allowedCpus().size());
  ASSERT_TRUE(C->destroy().isOk());
}

/// A distribution of the test's own: processors share a rep by parity.
class ByParity final : public k42::cobj::Root<Counter> {
public:
  Counter *repFor(uint32_t Processor) override {
    return &Reps[Processor % 2];
  }
  Shared Reps[2];
};

TEST(ClusteredTest, AUserWrittenDistributionDecidesOnMisses) {
  auto Root = std::make_unique<ByParity>();
  ByParity *Raw = Root.get();
  k42::Result<Ref<Counter>> C = Ref<Counter>::create(std::move(Root));
  ASSERT_TRUE(C.isOk());
  for (int Cpu : allowedCpus())
    onCpu(Cpu, [&] { (*C)->inc(); });
  for (int Cpu : allowedCpus())
    EXPECT_GE(Raw->Reps[Cpu % 2].value(), 1u);
  ASSERT_TRUE(C->destroy().isOk());
}

TEST(ClusteredTest, ADestroyedObjectIsFreedOnlyAfterCallsInsideItEnd) {
  Quiescence::synchronize(); // Nothing of earlier tests left waiting.
  int FreedBefore = CounterRep::Freed.load();
  k42::Result<Ref<Counter>> C =
      Ref<Counter>::create(std::make_unique<CounterRep::RootType>());
  ASSERT_TRUE(C.isOk());
  std::atomic<bool> Inside{false}, Release{false};
  std::thread Caller([&] {
    auto Rep = C->pin(); // A call in progress, as long as Rep lives.
    ASSERT_TRUE(bool(Rep));
    Rep->inc();
    Inside = true;
    while (!Release)
      std::this_thread::yield();
    Rep->inc(); // Still valid: the rep cannot be freed yet.
  });
  while (!Inside)
    std::this_thread::yield();
  ASSERT_TRUE(C->destroy().isOk());
  EXPECT_FALSE(bool(C->pin())) << "new calls find the object gone";
  EXPECT_EQ(Quiescence::reclaim(), 0u) << "the caller is still inside";
  EXPECT_EQ(CounterRep::Freed.load(), FreedBefore);
  Release = true;
  Caller.join();
  Quiescence::synchronize();
  EXPECT_EQ(CounterRep::Freed.load(), FreedBefore + 1);
  EXPECT_EQ(C->destroy().errorCode(), k42::errc::StaleHandle);
}

TEST(ClusteredTest, AStaleReferenceNeverReachesTheObjectThatReusedItsIndex) {
  Table Tables(/*Capacity=*/1);
  k42::Result<Ref<Counter>> Old = Ref<Counter>::create(
      std::make_unique<SharedRoot<Counter, Shared>>(), Tables);
  ASSERT_TRUE(Old.isOk());
  ASSERT_TRUE(Old->destroy().isOk());
  // The index comes back only after quiescence.
  Quiescence::synchronize();
  k42::Result<Ref<Counter>> New = Ref<Counter>::create(
      std::make_unique<SharedRoot<Counter, Shared>>(), Tables);
  ASSERT_TRUE(New.isOk());
  EXPECT_EQ(New->id().Index, Old->id().Index);
  EXPECT_FALSE(bool(Old->pin()));
  (*New)->inc();
  EXPECT_EQ((*New)->value(), 1u);
  // A full table says so.
  EXPECT_EQ(Ref<Counter>::create(std::make_unique<SharedRoot<Counter, Shared>>(),
                                 Tables)
                .status()
                .errorCode(),
            ENOSPC);
  ASSERT_TRUE(New->destroy().isOk());
}

/// An AllKinds rep per processor: each counts only the calls its
/// processor made (AllKindsImpl::peek reports the rep's own count).
class KindsRep final : public alltest::AllKindsImpl {
public:
  using RootType = PerProcessorRoot<alltest::AllKinds, KindsRep>;
  KindsRep(RootType &, uint32_t) {}
};

/// Makes \p Calls calls from a thread on \p Cpu and returns what the rep
/// there counted.
uint32_t callsSeenOn(int Cpu, alltest::StubAllKinds &S, int Calls) {
  uint32_t Seen = 0;
  onCpu(Cpu, [&] {
    for (int I = 0; I < Calls; ++I)
      ASSERT_TRUE(S.ping().isOk());
    ASSERT_TRUE(S.peek(Seen).isOk());
  });
  return Seen;
}

TEST(ClusteredTest, AStubcInterfaceServedByAClusteredObjectInProcess) {
  k42::Result<Ref<alltest::AllKinds>> Object =
      Ref<alltest::AllKinds>::create(std::make_unique<KindsRep::RootType>());
  ASSERT_TRUE(Object.isOk());
  alltest::ClusteredAllKinds Forward(*Object);
  alltest::XAllKinds X(Forward);
  k42::InProcTransport Transport(k42::Badge{1, 0, 0, 0});
  k42::Result<k42::ObjectHandle> H =
      Transport.exportObject(X, alltest::MetaAllKinds::Rights::all);
  ASSERT_TRUE(H.isOk());
  k42::Result<alltest::StubAllKinds> S =
      alltest::StubAllKinds::bind(Transport, *H);
  ASSERT_TRUE(S.isOk());
  // A different number of calls from each processor: each rep counts
  // only its own processor's.
  int Calls = 3;
  for (int Cpu : allowedCpus()) {
    EXPECT_EQ(callsSeenOn(Cpu, *S, Calls), uint32_t(Calls))
        << "processor " << Cpu << " has a rep of its own";
    ++Calls;
  }
  ASSERT_TRUE(Object->destroy().isOk());
}

TEST(ClusteredTest, AClusteredObjectInAServerUsesTheCallersProcessorsRep) {
  // The server's workers run wherever the host puts them; the rep a call
  // uses is its caller's processor's all the same.
  k42test::ForkedServer Server(
      k42::Badge{400, 0, 0, 0}, 4,
      [](k42::HandleTable &Table, const k42::Badge &Who)
          -> k42::Result<k42::ObjectHandle> {
        auto Object = Ref<alltest::AllKinds>::create(
            std::make_unique<KindsRep::RootType>());
        if (!Object)
          return Object.status();
        // The child's objects live until it exits.
        auto *X = new alltest::XAllKinds(*new alltest::ClusteredAllKinds(*Object));
        return Table.insert(*X, alltest::MetaAllKinds::Rights::all, Who.Pid);
      });
  k42::Result<alltest::StubAllKinds> S =
      alltest::StubAllKinds::bind(*Server.Transport, Server.Handle);
  ASSERT_TRUE(S.isOk());
  int Calls = 5;
  for (int Cpu : allowedCpus()) {
    EXPECT_EQ(callsSeenOn(Cpu, *S, Calls), uint32_t(Calls))
        << "processor " << Cpu << " has a rep of its own in the server";
    ++Calls;
  }
  EXPECT_TRUE(Server.exitedCleanly());
}

//===--------------------------------------------------------------------===//
// Hot swap.
//===--------------------------------------------------------------------===//

/// A counter whose state can be moved: add() takes a value in.
class Movable {
public:
  virtual ~Movable() = default;
  virtual void inc() = 0;
  virtual void add(uint64_t N) = 0;
  virtual uint64_t value() = 0;
  /// inc() after calling \p Again->inc() from inside this call.
  virtual void incTwiceNested(Ref<Movable> Again) = 0;
};

/// One implementation: a rep per processor.
class SpreadRep final : public Movable {
public:
  using RootType = PerProcessorRoot<Movable, SpreadRep>;
  SpreadRep(RootType &Root, uint32_t) : Root(Root) {}
  void inc() override { N.fetch_add(1); }
  void add(uint64_t V) override { N.fetch_add(V); }
  uint64_t value() override {
    uint64_t Sum = 0;
    Root.forEachRep([&](SpreadRep &R) { Sum += R.N.load(); });
    return Sum;
  }
  void incTwiceNested(Ref<Movable> Again) override {
    Again->inc();
    inc();
  }

private:
  RootType &Root;
  std::atomic<uint64_t> N{0};
};

/// The other: one shared rep.
class OneRep final : public Movable {
public:
  void inc() override { N.fetch_add(1); }
  void add(uint64_t V) override { N.fetch_add(V); }
  uint64_t value() override { return N.load(); }
  void incTwiceNested(Ref<Movable> Again) override {
    Again->inc();
    inc();
  }

private:
  std::atomic<uint64_t> N{0};
};

/// Moves the count: read from any rep of the old root (value() sums), add
/// to one rep of the new.
k42::Status moveCount(k42::cobj::Root<Movable> &Old,
                      k42::cobj::Root<Movable> &New) {
  New.repFor(0)->add(Old.repFor(0)->value());
  return k42::Status::ok();
}

std::unique_ptr<k42::cobj::Root<Movable>> otherRoot(int Round) {
  if (Round % 2)
    return std::make_unique<SpreadRep::RootType>();
  return std::make_unique<SharedRoot<Movable, OneRep>>();
}

TEST(ClusteredTest, SwappingUnderLoadLosesNoCallAndRunsNoneTwice) {
  auto Made = Ref<Movable>::create(std::make_unique<SpreadRep::RootType>());
  ASSERT_TRUE(Made.isOk());
  Ref<Movable> Object = *Made;
  std::atomic<bool> Stop{false};
  std::atomic<uint64_t> Calls{0};
  std::vector<std::thread> Callers;
  for (int T = 0; T < 4; ++T)
    Callers.emplace_back([&] {
      uint64_t Mine = 0;
      while (!Stop.load(std::memory_order_relaxed)) {
        if (Mine % 7 == 0) {
          Object->incTwiceNested(Object); // Nested calls meet swaps too.
          Calls.fetch_add(2, std::memory_order_relaxed);
          Mine += 2;
        } else {
          Object->inc();
          Calls.fetch_add(1, std::memory_order_relaxed);
          ++Mine;
        }
      }
    });
  // Swap only once every caller is calling, and check calls went on while
  // the swaps did.
  while (Calls.load() < 10000)
    std::this_thread::yield();
  uint64_t Before = Calls.load();
  constexpr int Swaps = 1000;
  int Done = 0;
  for (int Round = 1; Round <= Swaps; ++Round) {
    Done += Object.swap(otherRoot(Round), &moveCount).isOk();
    // On a busy machine 1000 swaps can end before a caller is scheduled
    // again; let the callers in now and then, so calls meet swaps.
    if (Round % 100 == 0) {
      uint64_t Seen = Calls.load();
      auto Deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (Calls.load() == Seen && std::chrono::steady_clock::now() < Deadline)
        std::this_thread::yield();
    }
  }
  uint64_t During = Calls.load() - Before;
  Stop = true;
  for (std::thread &T : Callers)
    T.join();
  EXPECT_EQ(Done, Swaps);
  EXPECT_GT(During, 0u) << "calls went on during the swaps";
  EXPECT_EQ(Object->value(), Calls.load());
  ASSERT_TRUE(Object.destroy().isOk());
}

TEST(ClusteredTest, ASwapWhoseTransferFailsRollsBack) {
  auto Made = Ref<Movable>::create(std::make_unique<SpreadRep::RootType>());
  ASSERT_TRUE(Made.isOk());
  Ref<Movable> Object = *Made;
  for (int I = 0; I < 5; ++I)
    Object->inc();
  std::atomic<bool> Stop{false};
  std::atomic<uint64_t> Calls{0};
  std::thread Caller([&] {
    uint64_t Mine = 0;
    while (!Stop.load()) {
      Object->inc();
      ++Mine;
    }
    Calls += Mine;
  });
  k42::Status Failed = Object.swap(
      std::make_unique<SharedRoot<Movable, OneRep>>(),
      [](k42::cobj::Root<Movable> &, k42::cobj::Root<Movable> &) {
        return k42::Status::error(EPROTO); // The import refused the state.
      });
  EXPECT_EQ(Failed.errorCode(), EPROTO);
  Stop = true;
  Caller.join();
  // Still the old object, with every call counted.
  EXPECT_EQ(Object->value(), 5 + Calls.load());
  ASSERT_TRUE(Object.destroy().isOk());
}

TEST(ClusteredTest, ASwapFromInsideACallIsRefused) {
  auto Made = Ref<Movable>::create(std::make_unique<SpreadRep::RootType>());
  ASSERT_TRUE(Made.isOk());
  Quiescence::Section Inside;
  EXPECT_EQ(Made->swap(std::make_unique<SpreadRep::RootType>(), &moveCount)
                .errorCode(),
            EDEADLK);
}

TEST(ClusteredTest, StateMovesThroughTheGeneratedStateCode) {
  using namespace metertest;
  auto Made = Ref<Meter>::create(
      std::make_unique<SharedRoot<Meter, MeterA>>(std::string("kitchen")));
  ASSERT_TRUE(Made.isOk());
  Ref<Meter> Object = *Made;
  for (int I = 0; I < 7; ++I)
    Object->tick();

  // Same state fields: the count and the label move to the new class.
  ASSERT_TRUE(Object
                  .swap(std::make_unique<SharedRoot<Meter, MeterB>>(),
                        stateTransfer<Meter, StateMeterA, StateMeterB, MeterA,
                                      MeterB>())
                  .isOk());
  EXPECT_EQ(Object->ticks(), 7u);
  EXPECT_EQ(Object->label(), "B:kitchen");
  Object->tick();

  // Different state fields: the import refuses, the swap rolls back, and
  // the object keeps its state and class.
  k42::Status Refused = Object.swap(
      std::make_unique<SharedRoot<Meter, MeterC>>(),
      stateTransfer<Meter, StateMeterB, StateMeterC, MeterB, MeterC>());
  EXPECT_EQ(Refused.errorCode(), k42::errc::IncompatibleInterface);
  EXPECT_EQ(Object->ticks(), 8u);
  EXPECT_EQ(Object->label(), "B:kitchen");

  // A conversion hook runs on the new object after the import.
  ASSERT_TRUE(Object
                  .swap(std::make_unique<SharedRoot<Meter, MeterA>>(),
                        stateTransfer<Meter, StateMeterB, StateMeterA, MeterB,
                                      MeterA>([](MeterA &New) {
                          New.tick(); // e.g. account for the swap itself
                          return k42::Status::ok();
                        }))
                  .isOk());
  EXPECT_EQ(Object->ticks(), 9u);
  EXPECT_EQ(Object->label(), "kitchen");
  ASSERT_TRUE(Object.destroy().isOk());
}

} // namespace
