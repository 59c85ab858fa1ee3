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
  /// Dies of \p Signal as the host kills: its default action, unblocked,
  /// sent to this thread (a SIGSYS the program does not catch, a seccomp
  /// filter's kill).
  [[noreturn]] static void dieOf(int Signal);
  /// Reads the signal mask a ppoll, pselect6 or epoll_pwait caller passed
  /// (\p User, \p Size bytes) into \p Out without SIGSYS, which the wait
  /// must never block; \p Mask is &Out, or null when \p User is null (no
  /// mask). 0, or -EINVAL for a size other than 8, -EFAULT for a bad
  /// pointer. One reading for every wait that takes a mask.
  static long copyWaitMask(long User, long Size, sigset_t &Out,
                           const sigset_t *&Mask);
};

/// The sigset bit of SIGSYS, which the personality never lets be blocked.
constexpr uint64_t SigsysBit = uint64_t(1) << (SIGSYS - 1);

} // namespace k42::personality

#endif // K42_PERSONALITY_SIGSYSSTATE_H
