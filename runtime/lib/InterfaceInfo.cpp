//===- runtime/lib/InterfaceInfo.cpp - Interface descriptions -------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/ipc/InterfaceInfo.h"

namespace k42 {

const MethodInfo *InterfaceInfo::findMethod(uint32_t Id) const {
  // Interfaces are small; a linear scan beats a table for the dozen methods
  // a K42 interface has, and dispatch does not use this (it switches).
  for (size_t I = 0; I < NumMethods; ++I)
    if (Methods[I].Id == Id)
      return &Methods[I];
  return nullptr;
}

bool InterfaceInfo::isCompatibleWith(uint64_t Other) const {
  if (Other == Fingerprint)
    return true;
  for (size_t I = 0; I < NumCompatible; ++I)
    if (Compatible[I] == Other)
      return true;
  return false;
}

} // namespace k42
