//===- k42/personality/HeldScan.h - A thread's holds, by stack -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The holds (Held<T>) of the calling thread's calls in progress, found on
/// its stack. A fork child copies the counts of every thread's holds, but
/// only the forking thread is there to drop its own: a signal handler that
/// forked inside a call returns into that call, which then lets go. Each
/// Held keeps a mark beside it (its object and the object xor Magic),
/// cleared when it lets go, so the frames above the child's stack pointer
/// show exactly the holds that thread still has. Keeping a list of holds
/// per thread instead would cost every call on a descriptor (the personality
/// has no thread-local storage); this costs only a fork child whose
/// parent had a second thread.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_HELDSCAN_H
#define K42_PERSONALITY_HELDSCAN_H

#include <cstdint>

namespace k42::personality {

/// The calling thread's holds, as its stack shows them.
class HeldScan {
public:
  /// What a Held's second mark word holds: its object's address xor this.
  static constexpr uintptr_t Magic = 0x4b34324865'6c6421ull;
  /// Above every user-space address (x86-64's 47 bits).
  static constexpr uintptr_t UserTop = uintptr_t(1) << 47;
  /// A Held's mark while it holds \p Object: the object's address in the
  /// low word, the address xor Magic in the high one. One 16-byte store,
  /// so the compiler keeps the two words together and in that order
  /// (two members it may place apart).
  static unsigned __int128 mark(const void *Object) {
    auto Address = reinterpret_cast<uintptr_t>(Object);
    return (static_cast<unsigned __int128>(Address ^ Magic) << 64) | Address;
  }
  /// How many holds one scan keeps; more, and it is not known().
  static constexpr int MaxHolds = 64;

  /// Scans the calling thread's stack from the caller's frame to the top
  /// of its mapping (/proc/self/maps). Not known() when the thread runs on
  /// an alternate signal stack (the interrupted call's frames are on
  /// another), when the mapping cannot be read, or with more than
  /// MaxHolds holds.
  void scan();
  /// Whether scan() found the thread's holds.
  bool known() const { return Known; }
  /// How many of the thread's holds name \p Object.
  int holds(const void *Object) const {
    int N = 0;
    for (int I = 0; I < Count; ++I)
      N += Found[I] == Object;
    return N;
  }

  /// Records a hold of \p Object; false once MaxHolds are recorded.
  bool record(const void *Object);
  /// Adds the holds marked in [\p Low, \p High) (8-aligned words) and
  /// makes the scan known() unless they are too many; scan()'s walk, and
  /// tests'.
  void scanRange(uintptr_t Low, uintptr_t High);

private:
  bool Known = false;
  int Count = 0;
  const void *Found[MaxHolds] = {};
};

} // namespace k42::personality

#endif // K42_PERSONALITY_HELDSCAN_H
