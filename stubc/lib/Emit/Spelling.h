//===- stubc/lib/Emit/Spelling.h - Names in generated code ------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Small spelling rules shared by the emitters, so that the same model
/// always gives byte-identical output (goldens and write-if-changed rely on
/// it).
///
//===----------------------------------------------------------------------===//

#ifndef K42_STUBC_LIB_EMIT_SPELLING_H
#define K42_STUBC_LIB_EMIT_SPELLING_H

#include "stubc/Model.h"

#include <cstdint>
#include <string>

namespace stubc {

/// "Type Name", using std::type_identity_t for types that a declarator
/// cannot simply precede (arrays, function types), and "T &Name" spacing.
std::string declare(const std::string &Type, const std::string &Name);

/// 0x%08x and 0x%016x.
std::string hex32(uint32_t Value);
std::string hex64(uint64_t Value);

/// True if another method of \p Interface has \p Method's name.
bool isOverloaded(const InterfaceModel &Interface, const MethodModel &Method);

/// The name of \p Method inside Meta<Name>::Methods and of its X invoke
/// function: the method name, plus the id when the name is overloaded.
std::string methodKey(const InterfaceModel &Interface,
                      const MethodModel &Method);

/// True for parameters the X object lets the implementation fill in place in
/// the reply page (out and inout spans and raw buffers).
bool isReserved(const ParamModel &P);

/// Whether a two-way method carries arrays, which may travel in the call's
/// bulk window when they are larger than the page (one-way calls have none:
/// the client reuses the window as soon as the message is accepted).
bool usesBulk(const MethodModel &M);

/// The statement that marshals a scalar, POD or handle argument \p Arg of
/// \p P into the request (`Out`), the same for every client stub.
std::string putValue(const ParamModel &P, const std::string &Arg);

/// The condition line that reads a scalar, POD or handle out parameter
/// \p Arg of \p P from the reply (`In`); a failed read is a bad message.
std::string getValue(const ParamModel &P, const std::string &Arg);

/// The condition line that copies reserved parameter \p P (an out span or
/// raw buffer, isReserved) of \p M from the reply into the caller's memory.
std::string copyReserved(const MethodModel &M, const ParamModel &P);

/// The lines that address a request for \p Key of \p Meta (method id and
/// fingerprint) in the page \p Page and open the writer `Out` over it, and
/// over the bulk window's request part when \p Bulk: every client stub
/// starts a call the same way.
std::string startRequest(const std::string &Meta, const std::string &Key,
                         const std::string &Page, bool Bulk);

/// The lines that end a message written with `Out`, returning its error.
std::string finishMessage();

/// The line that opens the reader `In` over the reply in `Buffers` (and the
/// bulk window's reply part when \p Bulk), as every client stub reads it.
std::string readReply(bool Bulk);

} // namespace stubc

#endif // K42_STUBC_LIB_EMIT_SPELLING_H
