//===- bench/inproc/InprocBench.cpp - Stub call vs virtual call -----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Times a null call through the generated stub and X object on the
/// in-process transport (marshal, handle lookup, rights check, dispatch,
/// unmarshal) against the anchor: the same call as a plain virtual call
/// through a base pointer the compiler cannot see through. Prints both and
/// `RESULT inproc_call_vs_virtual ratio=<x>`; the goal is at most 10.
///
//===----------------------------------------------------------------------===//

#include "Null.k42.h"

#include <k42/ipc/InProcTransport.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace {

class Pinger final : public bench::Null {
public:
  k42::Status ping() override {
    ++Count;
    return k42::Status::ok();
  }
  uint64_t Count = 0;
};

/// Keeps the optimiser from resolving the virtual call statically.
[[gnu::noinline]] bench::Null *opaque(bench::Null *Object) {
  asm volatile("" : "+r"(Object));
  return Object;
}

/// Nanoseconds per call of one timed round of \p Calls calls.
template <typename Fn> double timeRound(uint64_t Calls, Fn &&Call) {
  auto Start = std::chrono::steady_clock::now();
  for (uint64_t I = 0; I < Calls; ++I)
    Call();
  auto End = std::chrono::steady_clock::now();
  return std::chrono::duration<double, std::nano>(End - Start).count() /
         double(Calls);
}

/// Rounds of both, interleaved so that machine noise hits both alike; the
/// best round of each is its cost without interference.
constexpr int Rounds = 15;

} // namespace

int main(int Argc, char **Argv) {
  uint64_t Calls = Argc > 1 ? std::strtoull(Argv[1], nullptr, 10) : 2000000;
  Pinger Impl;
  bench::Null *Direct = opaque(&Impl);

  k42::InProcTransport Transport(k42::Badge{1, 0, 0, 0});
  bench::XNull X(Impl);
  k42::Result<k42::ObjectHandle> Handle =
      Transport.exportObject(X, bench::MetaNull::Rights::all);
  if (!Handle)
    return 1;
  k42::Result<bench::StubNull> Stub =
      bench::StubNull::bind(Transport, *Handle);
  if (!Stub)
    return 1;

  double Virtual = 1e300, Inproc = 1e300;
  for (int Round = 0; Round < Rounds; ++Round) {
    Virtual = std::min(Virtual,
                       timeRound(Calls, [&] { (void)Direct->ping(); }));
    Inproc = std::min(Inproc, timeRound(Calls, [&] {
                        if (!Stub->ping())
                          std::abort();
                      }));
  }
  if (Impl.Count != 2 * Rounds * Calls)
    return 1;
  std::printf("calls per round:          %llu (best of %d rounds each)\n",
              (unsigned long long)Calls, Rounds);
  std::printf("virtual call (anchor):    %.2f ns\n", Virtual);
  std::printf("stub -> X -> impl:        %.2f ns\n", Inproc);
  std::printf("goal: ratio <= 10\n");
  std::printf("RESULT inproc_call_vs_virtual ratio=%.2f\n", Inproc / Virtual);
  return 0;
}
