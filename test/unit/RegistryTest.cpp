//===- test/unit/RegistryTest.cpp - Swaps by name and lazy upgrades -------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "Meters.k42.h"

#include <k42/cobj/Registry.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

using namespace k42::cobj;
using namespace metertest;

namespace {

constexpr std::string_view MeterName = "metertest::Meter";

/// A registry with the three meter implementations: "a" and "b" keep the
/// same state fields, "c" has others.
class RegistryTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_TRUE(Swaps
                    .addImplementation<Meter>(
                        MeterName, "a",
                        stateImplementation<Meter, MeterA, StateMeterA>())
                    .isOk());
    ASSERT_TRUE(Swaps
                    .addImplementation<Meter>(
                        MeterName, "b",
                        stateImplementation<Meter, MeterB, StateMeterB>())
                    .isOk());
    ASSERT_TRUE(Swaps
                    .addImplementation<Meter>(
                        MeterName, "c",
                        stateImplementation<Meter, MeterC, StateMeterC>())
                    .isOk());
  }

  void TearDown() override {
    for (Ref<Meter> &Object : Made)
      (void)Object.destroy();
  }

  /// A new meter of implementation "a" labelled \p Label, published as
  /// \p Name, ticked \p Ticks times.
  Ref<Meter> meter(std::string_view Name, std::string Label, int Ticks = 0) {
    auto Object = Ref<Meter>::create(
        std::make_unique<SharedRoot<Meter, MeterA>>(std::move(Label)));
    EXPECT_TRUE(Object.isOk());
    EXPECT_TRUE(Swaps.publish(Name, MeterName, *Object, "a").isOk());
    for (int I = 0; I < Ticks; ++I)
      (*Object)->tick();
    Made.push_back(*Object);
    return *Object;
  }

  Registry::ObjectInfo info(std::string_view Name) {
    for (Registry::ObjectInfo &I : Swaps.list())
      if (I.Name == Name)
        return I;
    ADD_FAILURE() << "no object " << Name;
    return {};
  }

  Registry Swaps;
  std::vector<Ref<Meter>> Made;
};

TEST_F(RegistryTest, ASwapByNameMovesTheStateThroughTheGeneratedCode) {
  Ref<Meter> Kitchen = meter("kitchen", "kitchen", 5);
  ASSERT_TRUE(Swaps.swap("kitchen", "b").isOk());
  EXPECT_EQ(Kitchen->ticks(), 5u);
  EXPECT_EQ(Kitchen->label(), "B:kitchen");
  Registry::ObjectInfo I = info("kitchen");
  EXPECT_EQ(I.Interface, MeterName);
  EXPECT_EQ(I.Implementation, "b");
  EXPECT_EQ(I.Implementations, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(I.Swaps, 1u);
  EXPECT_EQ(I.Upgrading, "");
}

TEST_F(RegistryTest, RefusedStateRollsBackAndSaysWhy) {
  Ref<Meter> Hall = meter("hall", "hall", 3);
  EXPECT_EQ(Swaps.swap("hall", "c").errorCode(),
            k42::errc::IncompatibleInterface);
  EXPECT_EQ(Hall->ticks(), 3u);
  EXPECT_EQ(Hall->label(), "hall");
  Registry::ObjectInfo I = info("hall");
  EXPECT_EQ(I.Implementation, "a");
  EXPECT_EQ(I.Swaps, 0u);
  EXPECT_NE(I.LastFailure.find("to c: "), std::string::npos) << I.LastFailure;
  // A later swap that works clears the failure.
  ASSERT_TRUE(Swaps.swap("hall", "b").isOk());
  EXPECT_EQ(info("hall").LastFailure, "");
}

TEST_F(RegistryTest, BadNamesAndTypesAreRefused) {
  meter("attic", "attic");
  EXPECT_EQ(Swaps.swap("cellar", "b").errorCode(), ENOENT);
  EXPECT_EQ(Swaps.swap("attic", "d").errorCode(), ENOENT);
  EXPECT_EQ(Swaps.withdraw("cellar").errorCode(), ENOENT);
  EXPECT_EQ(Swaps.upgrade(MeterName, "a", "d").status().errorCode(), ENOENT);
  EXPECT_EQ(Swaps.upgrade("no::Such", "a", "b").status().errorCode(), ENOENT);
  auto Other =
      Ref<Meter>::create(std::make_unique<SharedRoot<Meter, MeterA>>());
  ASSERT_TRUE(Other.isOk());
  Made.push_back(*Other);
  EXPECT_EQ(Swaps.publish("attic", MeterName, *Other, "a").errorCode(), EEXIST);
  EXPECT_EQ(Swaps.publish("loft", MeterName, *Other, "d").errorCode(), ENOENT);
  EXPECT_EQ(
      Swaps
          .addImplementation<Meter>(
              MeterName, "a", stateImplementation<Meter, MeterB, StateMeterB>())
          .errorCode(),
      EEXIST);
  EXPECT_EQ(Swaps.addImplementation<Meter>(MeterName, "e", {}).errorCode(),
            EINVAL);
  // The same interface name for another C++ type.
  Registry::Implementation<int> NotAMeter;
  NotAMeter.Make = [] { return std::unique_ptr<Root<int>>(); };
  NotAMeter.Export = NotAMeter.Import = [](Root<int> &, k42::StateBuffer &) {
    return k42::Status::ok();
  };
  EXPECT_EQ(Swaps.addImplementation<int>(MeterName, "f", NotAMeter).errorCode(),
            k42::errc::IncompatibleInterface);
  // Withdrawn: the object stays, its name goes.
  ASSERT_TRUE(Swaps.withdraw("attic").isOk());
  EXPECT_EQ(Swaps.swap("attic", "b").errorCode(), ENOENT);
}

TEST_F(RegistryTest, AnUpgradeSwapsEachObjectOnlyAtItsNextUse) {
  Ref<Meter> One = meter("one", "one", 1);
  Ref<Meter> Two = meter("two", "two", 2);
  meter("three", "three", 3);
  ASSERT_TRUE(Swaps.swap("three", "b").isOk()); // Not an "a": not upgraded.
  auto Asked = Swaps.upgrade(MeterName, "a", "b");
  ASSERT_TRUE(Asked.isOk());
  EXPECT_EQ(*Asked, 2u);
  EXPECT_EQ(info("one").Upgrading, "b");
  EXPECT_EQ(info("one").Implementation, "a");
  EXPECT_EQ(info("two").Upgrading, "b");
  EXPECT_EQ(info("three").Upgrading, "");

  // The first call swaps its object, and runs on the new one.
  EXPECT_EQ(One->label(), "B:one");
  EXPECT_EQ(One->ticks(), 1u);
  EXPECT_EQ(info("one").Implementation, "b");
  EXPECT_EQ(info("one").Upgrading, "");
  EXPECT_EQ(info("one").Swaps, 1u);
  // The other, not called, is untouched until it is.
  EXPECT_EQ(info("two").Implementation, "a");
  EXPECT_EQ(info("two").Upgrading, "b");
  Two->tick();
  EXPECT_EQ(info("two").Implementation, "b");
  EXPECT_EQ(Two->ticks(), 3u);
}

TEST_F(RegistryTest, ASwapByHandReplacesAWaitingUpgrade) {
  Ref<Meter> Lobby = meter("lobby", "lobby", 1);
  ASSERT_TRUE(Swaps.upgrade(MeterName, "a", "b").isOk());
  ASSERT_TRUE(Swaps.swap("lobby", "a").isOk()); // A fresh "a", by hand.
  EXPECT_EQ(info("lobby").Upgrading, "");
  EXPECT_EQ(Lobby->label(), "lobby"); // Not upgraded by this call.
  EXPECT_EQ(info("lobby").Implementation, "a");
  EXPECT_EQ(info("lobby").Swaps, 1u);
}

TEST_F(RegistryTest, ANestedCallUsesTheObjectAsItIsAndLeavesTheUpgrade) {
  Ref<Meter> Den = meter("den", "den", 4);
  ASSERT_TRUE(Swaps.upgrade(MeterName, "a", "b").isOk());
  {
    // Inside a call already: a swap from here would wait for itself.
    Quiescence::Section Outer;
    EXPECT_EQ(Den->label(), "den");
    Den->tick();
  }
  EXPECT_EQ(info("den").Upgrading, "b");
  EXPECT_EQ(Den->label(), "B:den");
  EXPECT_EQ(Den->ticks(), 5u);
}

TEST_F(RegistryTest, AFailedUpgradeLeavesTheObjectAndTheCallGoesOn) {
  Ref<Meter> Porch = meter("porch", "porch", 2);
  ASSERT_TRUE(Swaps.upgrade(MeterName, "a", "c").isOk());
  Porch->tick(); // Runs the upgrade, which C refuses; then the call.
  EXPECT_EQ(Porch->ticks(), 3u);
  EXPECT_EQ(Porch->label(), "porch");
  Registry::ObjectInfo I = info("porch");
  EXPECT_EQ(I.Implementation, "a");
  EXPECT_EQ(I.Upgrading, "");
  EXPECT_FALSE(I.LastFailure.empty());
}

TEST_F(RegistryTest, AnObjectRemovedBeforeItsUpgradeIsNoLongerUpgrading) {
  Ref<Meter> Shed = meter("shed", "shed");
  ASSERT_TRUE(Swaps.upgrade(MeterName, "a", "b").isOk());
  ASSERT_TRUE(Shed.destroy().isOk());
  Made.clear();
  EXPECT_EQ(info("shed").Upgrading, "");
  EXPECT_FALSE(Shed.pin());
}

TEST_F(RegistryTest, AnUpgradeUnderLoadLosesNoCall) {
  constexpr int Objects = 8;
  std::vector<Ref<Meter>> Meters;
  for (int I = 0; I < Objects; ++I)
    Meters.push_back(meter("m" + std::to_string(I), "m"));
  std::atomic<bool> Stop{false};
  std::atomic<uint64_t> Calls{0};
  std::vector<std::thread> Callers;
  for (int T = 0; T < 4; ++T)
    Callers.emplace_back([&, T] {
      uint64_t Mine = 0;
      for (uint64_t K = T; !Stop.load(std::memory_order_relaxed); ++K) {
        Meters[K % Objects]->tick();
        ++Mine;
      }
      Calls += Mine;
    });
  for (int Round = 0; Round < 20; ++Round) {
    const char *From = Round % 2 ? "b" : "a";
    const char *To = Round % 2 ? "a" : "b";
    ASSERT_TRUE(Swaps.upgrade(MeterName, From, To).isOk());
    // The callers' next calls do the swapping.
    auto Deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    auto Done = [&] {
      std::vector<Registry::ObjectInfo> All = Swaps.list();
      return std::all_of(All.begin(), All.end(), [&](auto &I) {
        return I.Implementation == To && I.Upgrading.empty();
      });
    };
    while (!Done() && std::chrono::steady_clock::now() < Deadline)
      std::this_thread::yield();
    ASSERT_TRUE(Done()) << "round " << Round;
  }
  Stop = true;
  for (std::thread &T : Callers)
    T.join();
  uint64_t Sum = 0;
  for (Ref<Meter> &M : Meters)
    Sum += M->ticks();
  EXPECT_EQ(Sum, Calls.load());
  for (Registry::ObjectInfo &I : Swaps.list())
    EXPECT_EQ(I.Swaps, 20u) << I.Name;
}

} // namespace
