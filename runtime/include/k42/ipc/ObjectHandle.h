//===- runtime/include/k42/ipc/ObjectHandle.h - Object names ----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// How a client names an object of a server: (endpoint, handle-table index,
/// sequence number). Possession of a handle confers nothing by itself; the
/// server's table entry for it holds the rights and the process they were
/// given to, and the sequence number makes revoked or reused slots stale.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_IPC_OBJECTHANDLE_H
#define K42_RUNTIME_IPC_OBJECTHANDLE_H

#include <cstdint>

namespace k42 {

/// A set of rights, one bit per right name declared with K42_RIGHTS.
using RightsMask = uint64_t;

/// Names one object of one server. Plain data: it crosses the PPC page as is.
struct ObjectHandle {
  /// The server endpoint the object lives in (0: this address space).
  uint64_t Endpoint = 0;
  /// The slot in the server's handle table.
  uint32_t Index = 0;
  /// The slot's sequence number when the handle was made.
  uint32_t Sequence = 0;

  /// A default handle names nothing (sequence numbers start at 1).
  constexpr bool isValid() const { return Sequence != 0; }

  friend constexpr bool operator==(const ObjectHandle &,
                                   const ObjectHandle &) = default;
};

} // namespace k42

#endif // K42_RUNTIME_IPC_OBJECTHANDLE_H
