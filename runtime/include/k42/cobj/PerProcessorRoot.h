//===- runtime/include/k42/cobj/PerProcessorRoot.h --------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The per-processor distribution: each processor's calls go to a rep of
/// its own, made on its first call there, so the common operation touches
/// only memory of the caller's processor. An operation that needs the
/// whole object (a counter's value) visits every rep with forEachRep().
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_COBJ_PERPROCESSORROOT_H
#define K42_RUNTIME_COBJ_PERPROCESSORROOT_H

#include "k42/cobj/Root.h"
#include "k42/cobj/Table.h"

#include <atomic>
#include <functional>
#include <memory>

namespace k42::cobj {

/// One \p Rep (which implements \p T) per processor. A rep is made with
/// Rep(PerProcessorRoot &, uint32_t Processor), so it can reach its
/// siblings through the root.
template <typename T, typename Rep>
class PerProcessorRoot : public Root<T> {
public:
  PerProcessorRoot() = default;
  ~PerProcessorRoot() override {
    for (std::atomic<Rep *> &R : Reps)
      delete R.load();
  }

  T *repFor(uint32_t Processor) override {
    if (Processor >= Table::MaxProcessors)
      return nullptr;
    std::atomic<Rep *> &Slot = Reps[Processor];
    if (Rep *Existing = Slot.load(std::memory_order_acquire))
      return Existing;
    auto Made = std::make_unique<Rep>(*this, Processor);
    Rep *Expected = nullptr;
    if (Slot.compare_exchange_strong(Expected, Made.get(),
                                     std::memory_order_acq_rel))
      return Made.release();
    return Expected; // Another thread made it first.
  }

  /// Calls \p Visit on every rep made so far (the processors that called).
  void forEachRep(const std::function<void(Rep &)> &Visit) {
    for (std::atomic<Rep *> &R : Reps)
      if (Rep *Each = R.load(std::memory_order_acquire))
        Visit(*Each);
  }

private:
  std::atomic<Rep *> Reps[Table::MaxProcessors] = {};
};

} // namespace k42::cobj

#endif // K42_RUNTIME_COBJ_PERPROCESSORROOT_H
