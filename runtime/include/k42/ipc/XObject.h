//===- runtime/include/k42/ipc/XObject.h - Server objects -------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The base of every generated X<Name>: the server-side interface object
/// that stands between a transport and an implementation. It checks the
/// caller's rights, unmarshals, calls the implementation and marshals the
/// results; an object exported through a handle table is an XObject.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_IPC_XOBJECT_H
#define K42_RUNTIME_IPC_XOBJECT_H

#include "k42/ipc/CallContext.h"
#include "k42/ipc/InterfaceInfo.h"
#include "k42/ipc/PPCPage.h"

namespace k42 {

/// A server interface object.
class XObject {
public:
  virtual ~XObject();

  /// Serves one call. \p Request is private to this call (a transport copies
  /// a page that arrived from another process before dispatching it) and
  /// may be hostile. On return \p Reply holds the status and results; on any
  /// error it holds only the status. Never throws, never trusts a length.
  virtual void dispatch(const CallContext &Context, const PPCPage &Request,
                        PPCPage &Reply) = 0;

  /// The interface this object serves.
  virtual const InterfaceInfo &interfaceInfo() const = 0;
};

} // namespace k42

#endif // K42_RUNTIME_IPC_XOBJECT_H
