//===- bench/syscall/SyscallBench.cpp - Direct branch vs trap -------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The two entries of the Linux personality against each other and against
/// the host, in one process and one run: K42's null call by direct branch
/// to the transfer table (what an interposed glibc wrapper does), the same
/// call by trap reflection (an inline `syscall` instruction, Syscall User
/// Dispatch, SIGSYS, the table, rt_sigreturn), and a native getppid with
/// dispatch off. Also, for context, getppid passed through to the host by
/// each entry. Prints each and
///
///   RESULT syscall_direct_vs_trap ratio=<x>     (goal <= 0.1)
///   RESULT syscall_direct_vs_native ratio=<x>   (goal <= 1)
///
/// The FREENIX paper found its direct path 44% faster than trap reflection;
/// on Linux the trap is a whole signal delivery, so the gap is far larger.
///
//===----------------------------------------------------------------------===//

#include "k42/personality/DirectBranch.h"
#include "k42/personality/TrapReflection.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include <sys/syscall.h>

using namespace k42::personality;

namespace {

/// A `syscall` instruction in the benchmark's own code: outside the gate,
/// so it is trapped while dispatch is armed.
[[gnu::noinline]] long rawSyscall(long Number) {
  long Result;
  asm volatile("syscall" : "=a"(Result) : "a"(Number) : "rcx", "r11", "memory");
  return Result;
}

/// The direct branch as a caller outside the library makes it.
[[gnu::noinline]] long directNull() { return directCall(K42FirstPrivate); }
[[gnu::noinline]] long directGetppid() { return directCall(SYS_getppid); }

/// Nanoseconds per call of one round of \p Calls calls of \p Call.
template <typename Fn> double timeRound(long Calls, Fn &&Call) {
  auto Start = std::chrono::steady_clock::now();
  for (long I = 0; I < Calls; ++I)
    Call();
  auto End = std::chrono::steady_clock::now();
  return std::chrono::duration<double, std::nano>(End - Start).count() /
         double(Calls);
}

void check(bool Ok, const char *What) {
  if (!Ok) {
    std::fprintf(stderr, "bench-syscall: %s\n", What);
    std::exit(1);
  }
}

/// Rounds of all, interleaved so that noise hits each alike; the best round
/// of each is its cost without interference.
constexpr int Rounds = 7;

} // namespace

int main(int Argc, char **Argv) {
  // Calls per round: traps and host calls cost microseconds here, the
  // direct branch nanoseconds.
  long Slow = Argc > 1 ? std::atol(Argv[1]) : 50000;
  long Fast = Slow * 100;
  check(TrapReflection::install() == 0, "cannot install the SIGSYS handler");
  check(directNull() == K42NullMagic, "the direct branch missed the table");

  double Native = 1e300, Direct = 1e300, Trap = 1e300;
  double DirectHost = 1e300, TrapHost = 1e300;
  for (int Round = 0; Round < Rounds; ++Round) {
    Native = std::min(Native,
                      timeRound(Slow, [] { (void)rawSyscall(SYS_getppid); }));
    Direct = std::min(Direct, timeRound(Fast, [] { (void)directNull(); }));
    DirectHost =
        std::min(DirectHost, timeRound(Slow, [] { (void)directGetppid(); }));
    check(TrapReflection::armThread() == 0, "no Syscall User Dispatch here");
    check(rawSyscall(K42FirstPrivate) == K42NullMagic,
          "the trap missed the table");
    Trap = std::min(Trap,
                    timeRound(Slow, [] { (void)rawSyscall(K42FirstPrivate); }));
    TrapHost = std::min(TrapHost,
                        timeRound(Slow, [] { (void)rawSyscall(SYS_getppid); }));
    check(TrapReflection::disarmThread() == 0, "cannot disarm");
  }
  check(rawSyscall(K42FirstPrivate) != K42NullMagic, "still armed");

  std::printf("native getppid (syscall instruction)   %9.1f ns\n", Native);
  std::printf("K42 null call, direct branch           %9.1f ns\n", Direct);
  std::printf("K42 null call, trap reflection         %9.1f ns\n", Trap);
  std::printf("getppid to the host, direct branch     %9.1f ns\n", DirectHost);
  std::printf("getppid to the host, trap reflection   %9.1f ns\n", TrapHost);
  std::printf("RESULT syscall_direct_vs_trap ratio=%.5f\n", Direct / Trap);
  std::printf("RESULT syscall_direct_vs_native ratio=%.5f\n", Direct / Native);
  return 0;
}
