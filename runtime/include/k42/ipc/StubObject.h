//===- runtime/include/k42/ipc/StubObject.h - Client stubs ------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The base of every generated Stub<Name>: a handle and the transport that
/// carries calls on it. Stubs are plain values, cheap to copy; they are made
/// by Stub<Name>::bind, which checks the interface fingerprint first.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_IPC_STUBOBJECT_H
#define K42_RUNTIME_IPC_STUBOBJECT_H

#include "k42/ipc/ObjectHandle.h"
#include "k42/ipc/Transport.h"

namespace k42 {

/// A client-side proxy for one object.
class StubObject {
public:
  /// The handle calls go to.
  const ObjectHandle &handle() const { return Handle; }
  /// The transport calls travel on.
  Transport &transport() const { return *Via; }

protected:
  StubObject(Transport &Via, ObjectHandle Handle)
      : Via(&Via), Handle(Handle) {}

  Transport *Via;
  ObjectHandle Handle;
};

} // namespace k42

#endif // K42_RUNTIME_IPC_STUBOBJECT_H
