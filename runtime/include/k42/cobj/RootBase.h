//===- runtime/include/k42/cobj/RootBase.h - A clustered object --*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The root of a clustered object: the one part shared by all processors.
/// It decides the object's distribution by answering misses: when a
/// processor first calls the object, the translation table asks the root
/// for that processor's representative (rep), which it may create, share
/// or pick as it likes. The root owns the reps and deletes them with
/// itself, after quiescence.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_COBJ_ROOTBASE_H
#define K42_RUNTIME_COBJ_ROOTBASE_H

#include <cstdint>

namespace k42::cobj {

/// The type-erased root the translation table holds.
class RootBase {
public:
  virtual ~RootBase();

  /// The rep for \p Processor, as a pointer to the object's interface;
  /// nullptr if there can be none (then the call fails). Called on a miss,
  /// possibly by several threads at once for the same processor: it must
  /// return the same rep to all of them.
  virtual void *handleMiss(uint32_t Processor) = 0;
};

} // namespace k42::cobj

#endif // K42_RUNTIME_COBJ_ROOTBASE_H
