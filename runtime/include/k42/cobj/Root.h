//===- runtime/include/k42/cobj/Root.h - Typed roots ------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Root<T>: the root of a clustered object whose reps implement interface
/// T. Write a distribution by deriving from it and answering repFor(); the
/// two common ones are ready: SharedRoot (one rep for every processor) and
/// PerProcessorRoot (one rep per processor, made on first use there).
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_COBJ_ROOT_H
#define K42_RUNTIME_COBJ_ROOT_H

#include "k42/cobj/RootBase.h"

namespace k42::cobj {

/// A root whose reps are T's.
template <typename T> class Root : public RootBase {
public:
  /// The rep \p Processor's calls go to (created, shared or chosen as the
  /// distribution wants); the same one for concurrent calls.
  virtual T *repFor(uint32_t Processor) = 0;

  void *handleMiss(uint32_t Processor) final {
    return static_cast<void *>(repFor(Processor));
  }
};

} // namespace k42::cobj

#endif // K42_RUNTIME_COBJ_ROOT_H
