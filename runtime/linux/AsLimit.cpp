//===- runtime/linux/AsLimit.cpp - The program's RLIMIT_AS ----------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/AsLimit.h"

#include "k42/personality/ForkLocks.h"
#include "k42/personality/GateLock.h"
#include "k42/personality/HostCall.h"

#include <cerrno>
#include <new>

#include <linux/capability.h>
#include <sys/resource.h>
#include <sys/syscall.h>

using namespace k42::personality;

namespace {

/// The program's limit, the channels' bytes mapped, and the host's limit
/// as last set. Before start() (Known false) the program's limit is the
/// host's; the channels are counted from the first all the same.
struct Limits {
  uint64_t Soft = RLIM_INFINITY;
  uint64_t Hard = RLIM_INFINITY;
  uint64_t Own = 0;
  /// Of Own, what fork children get too.
  uint64_t Kept = 0;
  bool Known = false;
  GateLock Lock;
};
Limits State;
K42_HELD_ACROSS_FORK(State.Lock);

long hostLimit(const rlimit *New, rlimit *Old) {
  return hostCall(SYS_prlimit64, 0, RLIMIT_AS, reinterpret_cast<long>(New),
                  reinterpret_cast<long>(Old));
}

/// \p Limit plus \p More, infinity staying infinity.
uint64_t plus(uint64_t Limit, uint64_t More) {
  if (Limit == RLIM_INFINITY || Limit + More < Limit ||
      Limit + More >= RLIM_INFINITY)
    return RLIM_INFINITY;
  return Limit + More;
}

/// The host's soft limit made the program's plus the channels mapped,
/// under the host's hard limit (raised where the process may, past the
/// room set() left). Lock held.
void applySoft() {
  if (!State.Known || State.Soft == RLIM_INFINITY)
    return;
  rlimit Host{};
  if (hostLimit(nullptr, &Host) != 0)
    return;
  uint64_t Want = plus(State.Soft, State.Own);
  if (Want == Host.rlim_cur)
    return;
  rlimit New{Want, Host.rlim_max};
  if (Want > Host.rlim_max) {
    New.rlim_max = plus(Want, AsLimit::ChannelRoom);
    if (hostLimit(&New, nullptr) == 0)
      return;
    New = {Host.rlim_max, Host.rlim_max}; // as far as the host allows
  }
  (void)hostLimit(&New, nullptr);
}

} // namespace

void AsLimit::start(const uint64_t *FromExec) {
  rlimit Host{};
  if (hostLimit(nullptr, &Host) != 0)
    return; // the host's limit stays the program's
  GateLockGuard Guard(State.Lock);
  State.Soft = Host.rlim_cur;
  State.Hard = Host.rlim_max;
  if (FromExec && FromExec[0] <= FromExec[1]) {
    State.Soft = FromExec[0];
    State.Hard = FromExec[1];
  }
  __atomic_store_n(&State.Known, true, __ATOMIC_RELEASE);
  applySoft();
}

void AsLimit::get(uint64_t *Out) {
  if (!__atomic_load_n(&State.Known, __ATOMIC_ACQUIRE)) {
    rlimit Host{RLIM_INFINITY, RLIM_INFINITY};
    (void)hostLimit(nullptr, &Host);
    Out[0] = Host.rlim_cur;
    Out[1] = Host.rlim_max;
    return;
  }
  GateLockGuard Guard(State.Lock);
  Out[0] = State.Soft;
  Out[1] = State.Hard;
}

long AsLimit::set(uint64_t Soft, uint64_t Hard) {
  if (Soft > Hard)
    return -EINVAL;
  GateLockGuard Guard(State.Lock);
  if (!__atomic_load_n(&State.Known, __ATOMIC_ACQUIRE)) {
    rlimit New{Soft, Hard};
    return hostLimit(&New, nullptr);
  }
  if (Hard > State.Hard && !hasCapability(CAP_SYS_RESOURCE))
    return -EPERM;
  rlimit Host{};
  if (long E = hostLimit(nullptr, &Host); E != 0)
    return E;
  // The host's hard limit leaves room for the channels mapped and those
  // to come; a raise of it the host refuses keeps the one it has.
  rlimit New{plus(Soft, State.Own),
             plus(Hard, State.Own + (Hard == RLIM_INFINITY ? 0 : ChannelRoom))};
  if (New.rlim_max > Host.rlim_max && hostLimit(&New, nullptr) == 0) {
    // Raised: done.
  } else {
    if (New.rlim_max > Host.rlim_max)
      New.rlim_max = Host.rlim_max;
    if (New.rlim_cur > New.rlim_max)
      New.rlim_cur = New.rlim_max;
    if (long E = hostLimit(&New, nullptr); E != 0)
      return E;
  }
  State.Soft = Soft;
  State.Hard = Hard;
  return 0;
}

bool AsLimit::differsFromHost() {
  if (!__atomic_load_n(&State.Known, __ATOMIC_ACQUIRE))
    return false;
  GateLockGuard Guard(State.Lock);
  return State.Soft != RLIM_INFINITY || State.Hard != RLIM_INFINITY;
}

void AsLimit::willMap(uint64_t Bytes) {
  GateLockGuard Guard(State.Lock);
  State.Own += Bytes;
  applySoft();
}

void AsLimit::keptByChildren(uint64_t Bytes) {
  GateLockGuard Guard(State.Lock);
  State.Kept += Bytes;
}

void AsLimit::unmapped(uint64_t Bytes, bool KeptByChildren) {
  GateLockGuard Guard(State.Lock);
  State.Own = Bytes < State.Own ? State.Own - Bytes : 0;
  if (KeptByChildren)
    State.Kept = Bytes < State.Kept ? State.Kept - Bytes : 0;
  applySoft();
}

void AsLimit::forked() {
  // The child runs alone: another thread of the parent may have held the
  // lock at the fork, and its copy here is free.
  new (&State.Lock) GateLock;
  State.Own = State.Kept;
  applySoft();
}
