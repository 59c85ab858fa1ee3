//===- runtime/include/k42/ipc/InProcTransport.h - Local calls --*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The transport for calls inside one address space: stub -> PPC page ->
/// handle table -> X object -> implementation, with no process crossing. It
/// uses the same pages, checks and handle table as the cross-process
/// transport, so an interface tested in-process behaves the same remotely.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_IPC_INPROCTRANSPORT_H
#define K42_RUNTIME_IPC_INPROCTRANSPORT_H

#include "k42/ipc/Badge.h"
#include "k42/ipc/HandleTable.h"
#include "k42/ipc/Transport.h"
#include "k42/ipc/XObject.h"

namespace k42 {

/// Calls X objects of this process directly.
class InProcTransport final : public Transport {
public:
  /// A transport whose calls carry \p Self as the caller's badge.
  explicit InProcTransport(Badge Self = Badge{});

  /// Exports \p Object with \p Rights for this process.
  Result<ObjectHandle> exportObject(XObject &Object, RightsMask Rights);

  /// The table of exported objects (for giveAccess and revoke).
  HandleTable &handles() { return Table; }

  /// The badge calls carry.
  const Badge &self() const { return Self; }

  CallBuffers &buffers() override;
  BulkWindow bulk(const CallBuffers &Buffers) override;
  Status call(const ObjectHandle &Handle, CallBuffers &Buffers) override;
  Status send(const ObjectHandle &Handle, PPCPage &Request) override;
  Status bind(const ObjectHandle &Handle, uint64_t Fingerprint) override;
  Result<ObjectHandle> giveAccess(const ObjectHandle &Handle,
                                  RightsMask Rights, ProcessId To) override;
  Status revoke(const ObjectHandle &Handle) override;

private:
  Badge Self;
  HandleTable Table;
};

} // namespace k42

#endif // K42_RUNTIME_IPC_INPROCTRANSPORT_H
