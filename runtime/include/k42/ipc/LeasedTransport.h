//===- runtime/include/k42/ipc/LeasedTransport.h - Handler calls -*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// What a handler stub (HandlerStub<Name>, generated with
/// `stubc --client=handler`) asks of its transport. Handler stubs run where
/// a k42::Transport cannot: inside a signal handler (the Linux
/// personality's SIGSYS handler), with no heap, no thread-local storage and
/// no virtual calls that would tie a preloaded library to the C++ runtime.
/// So they are templates over a transport that lends a call slot for one
/// call (a Lease), as personality::GateTransport does; the stub never names
/// the transport's type.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_IPC_LEASEDTRANSPORT_H
#define K42_RUNTIME_IPC_LEASEDTRANSPORT_H

#include "k42/ipc/BulkWindow.h"
#include "k42/ipc/ObjectHandle.h"
#include "k42/ipc/PPCPage.h"
#include "k42/ipc/Status.h"

#include <concepts>

namespace k42 {

/// A transport whose `Lease`, made from it, holds one call slot for as
/// long as it lives: held() (false when every slot is busy: the stub
/// answers errc::NoFreeSlot), buffers() (the slot's request and reply
/// pages), bulk() (its bulk window) and call() (sends the request, waits,
/// and returns a transport error or the server's status). One-way methods
/// also need `send()`, instantiated only when one is called.
template <typename T>
concept LeasedTransport = std::constructible_from<typename T::Lease, T &> &&
    requires(typename T::Lease &Slot, const ObjectHandle &Target) {
  { Slot.held() } -> std::convertible_to<bool>;
  { Slot.buffers() } -> std::same_as<CallBuffers &>;
  { Slot.bulk() } -> std::same_as<BulkWindow>;
  { Slot.call(Target) } -> std::same_as<Status>;
};

} // namespace k42

#endif // K42_RUNTIME_IPC_LEASEDTRANSPORT_H
