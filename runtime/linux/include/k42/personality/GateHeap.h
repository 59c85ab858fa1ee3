//===- k42/personality/GateHeap.h - Memory for handler context -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The personality's allocator. A trapped call may come from inside the
/// program's malloc, so handlers never call libc's: this heap takes pages
/// from the host through the gate (mmap) and keeps free lists of a few
/// size classes (64 bytes to 64 KiB) behind one GateLock. Larger blocks are
/// mappings of their own. A forked child inherits the heap with the rest
/// of its memory, which is what its copied fd table needs.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_GATEHEAP_H
#define K42_PERSONALITY_GATEHEAP_H

#include <cstddef>
#include <new>

namespace k42::personality {

/// A size-class allocator over memory mapped from the gate.
class GateHeap {
public:
  /// \p Bytes of 16-aligned memory, or null when the host has none.
  static void *allocate(size_t Bytes);
  /// Gives back a block from allocate() (null is ignored).
  static void release(void *Block);
  /// Bytes the heap holds from the host (tests, statistics).
  static size_t mappedBytes();

  /// Constructs a T in the heap; null when out of memory.
  template <typename T> static T *make() {
    void *Memory = allocate(sizeof(T));
    return Memory ? new (Memory) T() : nullptr;
  }
  /// Destroys and releases what make() made.
  template <typename T> static void destroy(T *Object) {
    if (!Object)
      return;
    Object->~T();
    release(Object);
  }
};

} // namespace k42::personality

#endif // K42_PERSONALITY_GATEHEAP_H
