//===- k42/personality/SharedRoots.h - Mount roots a family shares -*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// What a read-only mount's server said its root is (device and inode),
/// shared by a process and the fork children it makes. FsBridge asks a
/// mount's root once per process, to know whether the process may reach
/// the mount's host directory itself (HostDirect); a fork child that asks
/// (a shell's child exec'ing /bin/x that its parent never looked up) paid
/// a kernel connection, a channel and a call for it, and its answer died
/// with it, so every such child asked again. Here the answer goes into one
/// page mapped MAP_SHARED before the first fork, which the parent and all
/// its fork children (and theirs) read: one member asks, the others find
/// it. Each still compares the answer with its own host directory
/// (HostDirect::rootOf), as it does the server's. The directory's
/// canonical host name, which rootOf finds through /proc/self/fd, is
/// shared too: a member checks it with two stats (HostDirect::sameRoot)
/// instead.
///
/// Entries are keyed by the mount table's version, the mount's server,
/// object and path: a table that changed asks again. The page is written
/// without a lock (an entry is claimed by compare-and-swap and published
/// with a release store), so a member killed while writing leaves one
/// entry unused and nothing held. Runs in handler context: no libc, no
/// errno; mmap through the gate.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_SHAREDROOTS_H
#define K42_PERSONALITY_SHAREDROOTS_H

#include <cstddef>
#include <cstdint>

namespace k42::personality {

/// The mount roots a process and its fork children have been told.
class SharedRoots {
public:
  /// Which mount an answer is about, as the process's table has it.
  struct Key {
    uint64_t Version;
    uint32_t Server;
    const char *Path;
    const char *Object;
  };

  /// Called by a process about to fork: maps the shared page if it has
  /// none yet, so the child's answers reach it (one mmap a process, at its
  /// first fork; a process that never forks maps nothing).
  static void beforeFork();
  /// Whether a member of the family was told \p K's root: its device and
  /// inode into \p Dev and \p Ino.
  static bool find(const Key &K, uint64_t &Dev, uint64_t &Ino);
  /// Records that \p K's server said its root is \p Dev, \p Ino; nothing
  /// without a page (no fork yet), a key that does not fit, or a full page.
  static void publish(const Key &K, uint64_t Dev, uint64_t Ino);
  /// Records the canonical host directory (HostDirect::rootOf) a member
  /// found to be \p K's root, once: the others check it with two stats
  /// (HostDirect::sameRoot) where rootOf named it through
  /// /proc/self/fd, a /proc walk whose dentries each process's reaping
  /// frees again. Nothing without \p K's entry, or for a longer name.
  static void publishHostDir(const Key &K, const char *HostDir);
  /// Whether a member recorded \p K's host directory: into \p Out
  /// (\p Capacity bytes, with its NUL) if it fits. Not checked: the
  /// caller asks the host whether it still is the root.
  static bool findHostDir(const Key &K, char *Out, size_t Capacity);
  /// Unmaps the page (unit tests).
  static void reset();
};

} // namespace k42::personality

#endif // K42_PERSONALITY_SHAREDROOTS_H
