//===- runtime/linux/ForkLocks.cpp - Private locks across fork ------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/ForkLocks.h"

using namespace k42::personality;

// The linker's bounds of the registrations (weak: a program with none
// has no such section).
extern "C" {
[[gnu::weak,
  gnu::visibility("hidden")]] extern GateLock *__start_k42_fork_locks[];
[[gnu::weak,
  gnu::visibility("hidden")]] extern GateLock *__stop_k42_fork_locks[];
}

namespace {

GateLock **begin() { return __start_k42_fork_locks; }
GateLock **end() { return __stop_k42_fork_locks; }

/// Whether \p At is no lock of its own to take: a gap the linker's
/// alignment of one file's entries left (null), or a lock registered
/// before it too (a lock of a class template is registered by every file
/// that uses it, and the linker may keep more than one entry).
bool repeated(GateLock **At) {
  if (!*At)
    return true;
  for (GateLock **Earlier = begin(); Earlier != At; ++Earlier)
    if (*Earlier == *At)
      return true;
  return false;
}

} // namespace

void ForkLocks::prepare() {
  if (!begin())
    return;
  for (;;) {
    GateLock **At = begin();
    for (; At != end(); ++At)
      if (!repeated(At) && !(*At)->tryLock())
        break;
    if (At == end())
      return;
    // Held elsewhere: let go of what this took, then wait for that one
    // to be let go of (holding nothing), and try again.
    GateLock *Busy = *At;
    while (At != begin()) {
      --At;
      if (!repeated(At))
        (*At)->unlock();
    }
    Busy->lock();
    Busy->unlock();
  }
}

void ForkLocks::parent() {
  for (GateLock **At = begin(); At && At != end(); ++At)
    if (!repeated(At))
      (*At)->unlock();
}

void ForkLocks::child() {
  for (GateLock **At = begin(); At && At != end(); ++At)
    if (*At)
      (*At)->reset();
  GateLock::forgetHolders();
}

size_t ForkLocks::count() {
  size_t N = 0;
  for (GateLock **At = begin(); At && At != end(); ++At)
    N += !repeated(At);
  return N;
}
