//===- runtime/include/k42/ipc/InterfaceInfo.h - Interface facts -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The run-time description of an interface that stubc emits into each
/// Meta<Name>: method numbers and names (for tracing and errors), rights, and
/// the fingerprints an object of the interface answers to when a stub binds.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_IPC_INTERFACEINFO_H
#define K42_RUNTIME_IPC_INTERFACEINFO_H

#include "k42/ipc/ObjectHandle.h"

#include <cstddef>
#include <cstdint>

namespace k42 {

/// One exported method.
struct MethodInfo {
  /// The stable method number carried in PPCPage::MethodId.
  uint32_t Id;
  /// The method's name, for traces and error messages.
  const char *Name;
  /// Rights a handle must hold to call it.
  RightsMask Required;
  /// True for one-way (asynchronous) methods.
  bool OneWay;
};

/// One exported interface.
struct InterfaceInfo {
  /// The qualified C++ name, e.g. "hello::Hello".
  const char *Name;
  /// K42_VERSION, 1 if not given.
  uint32_t Version;
  /// Hash of the interface's name, version, methods and base.
  uint64_t Fingerprint;
  /// The methods, own and inherited, sorted by Id.
  const MethodInfo *Methods;
  size_t NumMethods;
  /// Fingerprints of this interface and of every exported base: a stub of
  /// any of them may bind to an object of this interface.
  const uint64_t *Compatible;
  size_t NumCompatible;
  /// Right names in bit order.
  const char *const *RightNames;
  size_t NumRights;

  /// The method with number \p Id, or nullptr.
  const MethodInfo *findMethod(uint32_t Id) const;
  /// True if a stub bound to \p Fingerprint may call this interface.
  bool isCompatibleWith(uint64_t Fingerprint) const;
};

} // namespace k42

#endif // K42_RUNTIME_IPC_INTERFACEINFO_H
