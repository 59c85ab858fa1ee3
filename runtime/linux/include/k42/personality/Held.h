//===- k42/personality/Held.h - What a call holds at an fd -----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The K42 object at a descriptor (a file, a pipe end), held for the length
/// of one call: another thread's close of the descriptor (or a dup2 over
/// it) removes it at once but frees it only when the last call using it is
/// done, as Linux's fdget/fdput. Each kind says how it is found and let go
/// in a HoldPolicy (HeldFile.h, HeldPipe.h). A hold is marked in place
/// (two words beside it, cleared when it lets go), so that a fork child can
/// tell the forking thread's holds from those of threads it does not have
/// (HeldScan).
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_HELD_H
#define K42_PERSONALITY_HELD_H

#include "k42/personality/HeldScan.h"

#include <cstdint>

namespace k42::personality {

/// How a call takes and drops a reference to a \p T at a descriptor:
/// `static T *hold(long Fd)` (null for a descriptor of another kind) and
/// `static void release(T *)`. Specialised once per kind.
template <typename T> struct HoldPolicy;

/// One reference to a \p T, dropped when the holder goes.
template <typename T> class Held {
public:
  /// Nothing held.
  Held() = default;
  /// The \p T at \p Fd (in a posix_spawn child, as its view over its
  /// parent's table has it); nothing for another descriptor.
  explicit Held(long Fd) { hold(Fd); }
  ~Held() {
    if (Object) {
      HoldPolicy<T>::release(Object);
      Mark = 0; // after: a fork meanwhile counts one too many, not less
    }
  }
  Held(const Held &) = delete;
  Held &operator=(const Held &) = delete;

  /// Holds the \p T at \p Fd instead (what was held is let go); whether
  /// there is one.
  bool hold(long Fd) {
    if (Object) {
      HoldPolicy<T>::release(Object);
      Mark = 0;
    }
    Object = HoldPolicy<T>::hold(Fd);
    if (!Object)
      return false;
    // In memory, whatever the compiler keeps in registers: a fork made
    // meanwhile (by a signal handler inside this call) copies the mark.
    Mark = HeldScan::mark(Object);
    return true;
  }

  explicit operator bool() const { return Object != nullptr; }
  T *get() const { return Object; }
  T *operator->() const { return Object; }
  T &operator*() const { return *Object; }

private:
  T *Object = nullptr;
  /// HeldScan::mark(Object) while held.
  alignas(16) volatile unsigned __int128 Mark;
};

} // namespace k42::personality

#endif // K42_PERSONALITY_HELD_H
