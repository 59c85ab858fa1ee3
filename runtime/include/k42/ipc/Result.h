//===- runtime/include/k42/ipc/Result.h - Value or Status -------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A value or the Status that explains why there is none; the runtime's
/// counterpart of llvm::Expected, without exceptions.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_IPC_RESULT_H
#define K42_RUNTIME_IPC_RESULT_H

#include "k42/ipc/Status.h"

#include <cassert>
#include <optional>
#include <utility>

namespace k42 {

/// Either a T or an error Status.
template <typename T> class [[nodiscard]] Result {
public:
  /// A successful result.
  Result(T Value) : Value(std::move(Value)) {}
  /// A failed result; \p Error must not be ok.
  Result(Status Error) : Error(Error) {
    assert(!Error.isOk() && "a Result without a value needs an error");
  }

  bool isOk() const { return Value.has_value(); }
  explicit operator bool() const { return isOk(); }

  /// The error, or ok if there is a value.
  Status status() const { return Error; }

  T &operator*() {
    assert(Value && "no value");
    return *Value;
  }
  const T &operator*() const {
    assert(Value && "no value");
    return *Value;
  }
  T *operator->() { return &**this; }
  const T *operator->() const { return &**this; }

private:
  std::optional<T> Value;
  Status Error;
};

} // namespace k42

#endif // K42_RUNTIME_IPC_RESULT_H
