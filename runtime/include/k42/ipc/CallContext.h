//===- runtime/include/k42/ipc/CallContext.h - Per-call facts ---*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// What the transport knows about a call before any byte of the message is
/// read: who is calling (from the channel) and what the handle allows (from
/// the server's handle table). X objects check rights against it first.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_IPC_CALLCONTEXT_H
#define K42_RUNTIME_IPC_CALLCONTEXT_H

#include "k42/ipc/Badge.h"
#include "k42/ipc/BulkWindow.h"
#include "k42/ipc/ObjectHandle.h"

namespace k42 {

/// The trusted facts of one incoming call.
struct CallContext {
  /// The caller, as the kernel vouches for it.
  Badge Caller;
  /// The rights the caller's handle entry holds.
  RightsMask Rights = 0;
  /// The handle the call arrived on.
  ObjectHandle Handle;
  /// Where the request's out-of-line arrays are and the reply's go; empty
  /// for one-way calls, whose arrays must fit in the page.
  BulkWindow Bulk;
  /// The processor the call is served for: the caller's, where the
  /// transport knows it (K42 serves a call on its caller's processor), so
  /// per-processor state in the server is the caller's processor's.
  uint32_t Processor = 0;
};

} // namespace k42

#endif // K42_RUNTIME_IPC_CALLCONTEXT_H
