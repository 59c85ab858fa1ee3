//===- k42/personality/ForkLocks.h - Private locks across fork -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The personality's process-private locks (its descriptor tables', the
/// path bridge's, the heap's...), held by the forking thread across a
/// fork's clone. A fork child has one thread, the forking one: a lock some
/// other thread of the parent held at the clone stays held in the child
/// for ever, and the child's first call that needs it hangs (a threaded
/// program's subprocess hung in its `dup2`: battery 27). So every such
/// lock is registered where it is defined (K42_HELD_ACROSS_FORK), and the
/// fork takes them all first: the parent lets go of them after the clone,
/// the child finds them free.
///
/// Locks in memory shared between processes (a description's, a pipe
/// ring's) are not registered: their holder is still running, in the
/// parent, and lets go of them there.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_FORKLOCKS_H
#define K42_PERSONALITY_FORKLOCKS_H

#include "k42/personality/GateLock.h"

#include <cstddef>

namespace k42::personality {

/// Every registered lock, around a fork.
class ForkLocks {
public:
  /// Takes every registered lock. All or none at a time: a lock that is
  /// busy makes it let go of those it took and wait for that one, so the
  /// order in which the personality nests them does not matter and no
  /// thread waits on this one while it holds any. The calling thread must
  /// hold none of them.
  static void prepare();
  /// In the parent after the clone (or a failed one): lets go of them.
  static void parent();
  /// In the child, before anything else: they are free (the thread that
  /// held them is this one, and no other runs here).
  static void child();
  /// How many locks are registered (each counted once): for tests.
  static size_t count();
};

} // namespace k42::personality

#define K42_FORK_LOCK_JOIN2(A, B) A##B
#define K42_FORK_LOCK_JOIN(A, B) K42_FORK_LOCK_JOIN2(A, B)

/// Registers the process-private GateLock \p LockExpr (a constant address)
/// with ForkLocks, at namespace scope beside its definition. The entry is
/// a pointer in the section `k42_fork_locks`, which the linker bounds with
/// __start_/__stop_ symbols: no constructor runs, and a lock is registered
/// by the file that defines it.
#define K42_HELD_ACROSS_FORK(LockExpr)                                         \
  [[gnu::used, gnu::retain,                                                    \
    gnu::section("k42_fork_locks")]] static ::k42::personality::GateLock *     \
  K42_FORK_LOCK_JOIN(K42ForkLock, __LINE__) = &(LockExpr)

#endif // K42_PERSONALITY_FORKLOCKS_H
