//===- runtime/lib/Transport.cpp - Out-of-line anchors --------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Key functions of the runtime's polymorphic classes, so their vtables live
/// in one object file.
///
//===----------------------------------------------------------------------===//

#include "k42/ipc/Transport.h"
#include "k42/ipc/XObject.h"

namespace k42 {

Transport::~Transport() = default;
BulkWindow Transport::bulk(const CallBuffers &) { return {}; }
XObject::~XObject() = default;

} // namespace k42
