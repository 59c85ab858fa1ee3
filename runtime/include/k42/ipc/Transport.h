//===- runtime/include/k42/ipc/Transport.h - How calls travel ---*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The interface between generated stubs and whatever carries their pages
/// to an X object: in-process (InProcTransport) or across processes over a
/// kernel-made channel. Stubs are written against this alone, so one stub
/// works over either.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_IPC_TRANSPORT_H
#define K42_RUNTIME_IPC_TRANSPORT_H

#include "k42/ipc/Badge.h"
#include "k42/ipc/BulkWindow.h"
#include "k42/ipc/ObjectHandle.h"
#include "k42/ipc/PPCPage.h"
#include "k42/ipc/Result.h"
#include "k42/ipc/Status.h"

namespace k42 {

/// Carries calls from stubs to X objects.
class Transport {
public:
  virtual ~Transport();

  /// The calling thread's request and reply pages for this transport.
  virtual CallBuffers &buffers() = 0;

  /// The bulk window that goes with \p Buffers (from buffers()), for arrays
  /// larger than a page; an empty window if the transport has none.
  virtual BulkWindow bulk(const CallBuffers &Buffers);

  /// Performs a call whose request (method number, fingerprint, payload) is
  /// in \p Buffers.Request. Returns a transport error (bad or stale handle,
  /// ...), or else the status the X object left in \p Buffers.Reply.
  virtual Status call(const ObjectHandle &Handle, CallBuffers &Buffers) = 0;

  /// Sends a one-way message; returns once it is queued or delivered.
  virtual Status send(const ObjectHandle &Handle, PPCPage &Request) = 0;

  /// Checks that the object behind \p Handle serves an interface compatible
  /// with \p Fingerprint (IncompatibleInterface otherwise).
  virtual Status bind(const ObjectHandle &Handle, uint64_t Fingerprint) = 0;

  /// K42's giveAccess: asks the server of \p Handle for a handle to the
  /// same object for process \p To, with \p Rights, which must be a subset
  /// of the rights \p Handle carries.
  virtual Result<ObjectHandle> giveAccess(const ObjectHandle &Handle,
                                          RightsMask Rights, ProcessId To) = 0;

  /// Revokes \p Handle, which the caller holds or gave with giveAccess.
  virtual Status revoke(const ObjectHandle &Handle) = 0;
};

} // namespace k42

#endif // K42_RUNTIME_IPC_TRANSPORT_H
