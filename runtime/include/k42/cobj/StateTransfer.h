//===- runtime/include/k42/cobj/StateTransfer.h - Swap with state -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A hot-swap transfer that moves state through the code stubc generates
/// for K42_STATE fields: the old rep's State<Class>::exportState writes its
/// fields behind a fingerprint of the field list, the new rep's
/// State<Class>::importState reads them back (all or nothing). Two
/// implementations with the same state fields take each other's state; a
/// new implementation whose fields differ refuses it (IncompatibleInterface),
/// and the swap rolls back. A conversion hook, if given, runs on the new
/// rep after the import, for what the fields alone do not say.
///
//===----------------------------------------------------------------------===//

#ifndef K42_RUNTIME_COBJ_STATETRANSFER_H
#define K42_RUNTIME_COBJ_STATETRANSFER_H

#include "k42/cobj/Root.h"
#include "k42/cobj/StateBuffer.h"

#include <functional>

namespace k42::cobj {

/// Moves the state of \p From (a \p FromRep, whose generated state code is
/// \p FromState) into \p To (likewise), then runs \p Convert on \p To.
template <typename FromState, typename ToState, typename FromRep,
          typename ToRep>
Status moveState(FromRep &From, ToRep &To,
                 const std::function<Status(ToRep &)> &Convert = {}) {
  StateBuffer Buffer;
  if (Status S = FromState::exportState(From, Buffer); !S)
    return S;
  if (Status S = ToState::importState(To, Buffer); !S)
    return S;
  return Convert ? Convert(To) : Status::ok();
}

/// The transfer for Ref<T>::swap between two single-rep objects (for
/// instance SharedRoots) whose reps are a \p FromRep and a \p ToRep: their
/// processor-0 reps are the objects.
template <typename T, typename FromState, typename ToState, typename FromRep,
          typename ToRep>
std::function<Status(Root<T> &, Root<T> &)>
stateTransfer(std::function<Status(ToRep &)> Convert = {}) {
  return [Convert](Root<T> &Old, Root<T> &New) -> Status {
    auto *From = static_cast<FromRep *>(Old.repFor(0));
    auto *To = static_cast<ToRep *>(New.repFor(0));
    if (!From || !To)
      return Status::error(EINVAL);
    return moveState<FromState, ToState>(*From, *To, Convert);
  };
}

} // namespace k42::cobj

#endif // K42_RUNTIME_COBJ_STATETRANSFER_H
