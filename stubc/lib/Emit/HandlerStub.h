//===- stubc/lib/Emit/HandlerStub.h - Allocation-free stubs ----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The client stub `stubc --client=handler` adds to the generated header:
/// HandlerStub<Name>, a class template over a k42::LeasedTransport whose
/// methods marshal into the transport's call slot and unmarshal into
/// buffers the caller owns. It is what a signal handler can call (the Linux
/// personality's SIGSYS handler): no heap, no exceptions, no thread-local
/// storage, no virtual call. Same wire format as Stub<Name>; only the C++
/// types of variable-size parameters differ (FIDL's wire types next to its
/// natural ones, MIG's fixed-size messages):
///
///   string in            std::string_view
///   vector<T> in         std::span<const T>
///   string out/inout     std::span<char> Buffer, size_t &BufferLength
///   vector<T> out/inout  std::span<T> Buffer, size_t &BufferLength
///
/// An out string or vector longer than its buffer copies nothing and is
/// k42::errc::ReplyTooBig, with the length it has in BufferLength; an inout
/// one sends its first BufferLength elements.
///
//===----------------------------------------------------------------------===//

#ifndef K42_STUBC_LIB_EMIT_HANDLERSTUB_H
#define K42_STUBC_LIB_EMIT_HANDLERSTUB_H

#include "stubc/Model.h"

#include "llvm/Support/raw_ostream.h"

namespace stubc {

/// Writes HandlerStub<Name> for \p Interface: the class template and the
/// definitions of its methods (templates, so all in the header).
void emitHandlerStub(llvm::raw_ostream &OS, const InterfaceModel &Interface);

} // namespace stubc

#endif // K42_STUBC_LIB_EMIT_HANDLERSTUB_H
