//===- test/stress/CobjStress.cpp - Deleting objects while they are called -===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// cobj-stress SECONDS: caller threads call clustered objects picked at
/// random from a shared set while a destroyer thread keeps replacing them
/// (destroy, then install a fresh one) and a swapper thread keeps swapping
/// their implementations. Every rep checks on each call that
/// it has not been freed (a poisoned marker), and the run fails if any call
/// reached a freed rep or an object was never freed. Built plain for the
/// unit suite and with ThreadSanitizer (test/stress/cobj-tsan.test), which
/// also reports any access to freed memory as a race with the free.
///
//===----------------------------------------------------------------------===//

#include <k42/cobj/PerProcessorRoot.h>
#include <k42/cobj/Ref.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <thread>
#include <vector>

using namespace k42::cobj;

namespace {

constexpr uint64_t AliveMark = 0xa11fe0a11fe0a11full;
constexpr uint64_t DeadMark = 0xdeadbeefdeadbeefull;

std::atomic<uint64_t> BadCalls{0};
std::atomic<uint64_t> RepsMade{0};
std::atomic<uint64_t> RepsFreed{0};

class Thing {
public:
  virtual ~Thing() = default;
  virtual void touch() = 0;
};

class ThingRep final : public Thing {
public:
  using RootType = PerProcessorRoot<Thing, ThingRep>;
  ThingRep(RootType &, uint32_t) { RepsMade.fetch_add(1); }
  ~ThingRep() override {
    Mark.store(DeadMark);
    RepsFreed.fetch_add(1);
  }
  void touch() override {
    if (Mark.load(std::memory_order_relaxed) != AliveMark)
      BadCalls.fetch_add(1);
    Calls.fetch_add(1, std::memory_order_relaxed);
  }

private:
  std::atomic<uint64_t> Mark{AliveMark};
  std::atomic<uint64_t> Calls{0};
};

uint64_t pack(ObjectId Id) { return uint64_t(Id.Index) << 32 | Id.Sequence; }
ObjectId unpack(uint64_t V) { return {uint32_t(V >> 32), uint32_t(V)}; }

} // namespace

int main(int Argc, char **Argv) {
  double Seconds = Argc > 1 ? std::atof(Argv[1]) : 2.0;
  constexpr int Objects = 16;
  /// Slots the destroyer leaves alone, so the swapper's swaps of them do
  /// not all lose the race with a destroy on a busy machine (a swap waits
  /// for quiescence; a destroy does not).
  constexpr int Stable = 4;
  constexpr int Callers = 4;
  std::atomic<uint64_t> Slots[Objects];
  for (std::atomic<uint64_t> &S : Slots) {
    auto R = Ref<Thing>::create(std::make_unique<ThingRep::RootType>());
    if (!R)
      return 2;
    S.store(pack(R->id()));
  }
  std::atomic<bool> Stop{false};
  std::atomic<uint64_t> Calls{0}, Missed{0}, Replaced{0};
  std::vector<std::thread> Threads;
  for (int T = 0; T < Callers; ++T)
    Threads.emplace_back([&, T] {
      std::minstd_rand Random(T + 1);
      uint64_t Mine = 0, Gone = 0;
      while (!Stop.load(std::memory_order_relaxed)) {
        Ref<Thing> R(unpack(Slots[Random() % Objects].load()));
        if (auto Rep = R.pin()) {
          Rep->touch();
          Rep->touch();
          ++Mine;
        } else {
          ++Gone; // Replaced between the load and the call: fine.
        }
      }
      Calls += Mine;
      Missed += Gone;
    });
  // A swapper: replaces the implementation of random objects while they
  // are called (and while the destroyer replaces the objects themselves).
  std::atomic<uint64_t> Swapped{0};
  Threads.emplace_back([&] {
    std::minstd_rand Random(7);
    for (uint64_t Round = 0; !Stop.load(std::memory_order_relaxed); ++Round) {
      int Slot = Round % 2 ? Random() % Objects : Random() % Stable;
      Ref<Thing> R(unpack(Slots[Slot].load()));
      k42::Status S = R.swap(
          std::make_unique<ThingRep::RootType>(),
          [](Root<Thing> &, Root<Thing> &) { return k42::Status::ok(); });
      // A swap of an object destroyed meanwhile fails cleanly.
      if (S)
        ++Swapped;
      else if (S.errorCode() != k42::errc::StaleHandle &&
               S.errorCode() != k42::errc::BadHandle)
        BadCalls.fetch_add(1);
    }
  });
  Threads.emplace_back([&] {
    std::minstd_rand Random(99);
    while (!Stop.load(std::memory_order_relaxed)) {
      auto Fresh = Ref<Thing>::create(std::make_unique<ThingRep::RootType>());
      if (!Fresh) {
        BadCalls.fetch_add(1);
        break;
      }
      uint64_t Old = Slots[Stable + Random() % (Objects - Stable)].exchange(
          pack(Fresh->id()));
      if (!Ref<Thing>(unpack(Old)).destroy())
        BadCalls.fetch_add(1);
      ++Replaced;
    }
  });
  std::this_thread::sleep_for(std::chrono::duration<double>(Seconds));
  Stop = true;
  for (std::thread &T : Threads)
    T.join();
  for (std::atomic<uint64_t> &S : Slots)
    (void)Ref<Thing>(unpack(S.load())).destroy();
  Quiescence::synchronize();
  Quiescence::synchronize();

  std::printf("cobj-stress: %llu calls, %llu found their object gone, %llu "
              "objects replaced, %llu swapped, %llu reps made, %llu freed, "
              "%llu bad\n",
              (unsigned long long)Calls.load(),
              (unsigned long long)Missed.load(),
              (unsigned long long)Replaced.load(),
              (unsigned long long)Swapped.load(),
              (unsigned long long)RepsMade.load(),
              (unsigned long long)RepsFreed.load(),
              (unsigned long long)BadCalls.load());
  bool Right = BadCalls == 0 && RepsMade == RepsFreed && Calls > 0 &&
               Replaced > 0 && Swapped > 0 && Quiescence::pending() == 0;
  std::printf("cobj-stress: %s\n", Right ? "ok" : "FAILED");
  return Right ? 0 : 1;
}
