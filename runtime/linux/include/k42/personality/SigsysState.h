//===- k42/personality/SigsysState.h - The program's SIGSYS -----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// SIGSYS belongs to the personality (trap reflection arrives as SIGSYS, and
/// the kernel kills a process whose SIGSYS is blocked or ignored when a trap
/// comes). The program still sees a SIGSYS of its own: the action it set is
/// kept here, and a SIGSYS that is not a trap (kill, tgkill) is delivered
/// to it as the host would have.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_SIGSYSSTATE_H
#define K42_PERSONALITY_SIGSYSSTATE_H

#include <cstdint>

#include <signal.h>

namespace k42::personality {

/// The kernel's struct sigaction on x86_64 (what rt_sigaction reads).
struct KernelSigaction {
  uint64_t Handler = 0;
  uint64_t Flags = 0;
  uint64_t Restorer = 0;
  uint64_t Mask = 0;
};

/// The program's own SIGSYS action.
class SigsysState {
public:
  /// The action the program last set (SIG_DFL at first).
  static KernelSigaction get();
  /// Keeps \p Action as the program's SIGSYS action.
  static void set(const KernelSigaction &Action);
  /// Delivers a SIGSYS that was not a trap as the program's action says:
  /// its handler, nothing, or death by SIGSYS.
  static void deliver(siginfo_t *Info, void *Context);
};

/// The sigset bit of SIGSYS, which the personality never lets be blocked.
constexpr uint64_t SigsysBit = uint64_t(1) << (SIGSYS - 1);

} // namespace k42::personality

#endif // K42_PERSONALITY_SIGSYSSTATE_H
