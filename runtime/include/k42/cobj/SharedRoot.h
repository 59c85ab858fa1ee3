//===- runtime/include/k42/cobj/SharedRoot.h --------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The shared distribution: one rep serves every processor, as an ordinary
/// object would, but reached through the translation tables, so it can be
/// deleted after quiescence and swapped like any clustered object.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_COBJ_SHAREDROOT_H
#define K42_RUNTIME_COBJ_SHAREDROOT_H

#include "k42/cobj/Root.h"

#include <memory>
#include <utility>

namespace k42::cobj {

/// One \p Rep (which implements \p T) for all processors, made with
/// \p Args when the root is.
template <typename T, typename Rep> class SharedRoot : public Root<T> {
public:
  template <typename... Args>
  explicit SharedRoot(Args &&...A)
      : Only(std::make_unique<Rep>(std::forward<Args>(A)...)) {}

  T *repFor(uint32_t) override { return Only.get(); }

  Rep &rep() { return *Only; }

private:
  std::unique_ptr<Rep> Only;
};

} // namespace k42::cobj

#endif // K42_RUNTIME_COBJ_SHAREDROOT_H
