//===- stubc/include/stubc/Emitter.h - Model to code ------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The last stage of stubc: turns a checked FileModel into text. The C++
/// emitter writes one header and one source per interface header; the JSON
/// emitter prints the model itself for tools, docs and compatibility checks.
/// Emitters never fail: everything that could make generated code invalid
/// was rejected by the Extractor.
///
//===----------------------------------------------------------------------===//

#ifndef K42_STUBC_EMITTER_H
#define K42_STUBC_EMITTER_H

#include "stubc/Model.h"

#include "llvm/ADT/StringRef.h"

#include <string>

namespace stubc {

/// Which client stubs to generate (`stubc --client=`): the server side and
/// Meta<Name> are always generated.
struct EmitOptions {
  /// Stub<Name> (`standard`): std::string and std::vector results, for
  /// ordinary code.
  bool StandardClient = true;
  /// HandlerStub<Name> (`handler`): a header-only template over a
  /// k42::LeasedTransport, results into the caller's buffers, for code
  /// that may not allocate (a signal handler).
  bool HandlerClient = false;
};

/// The generated header (`<stem>.k42.h`): Stub<Name>, HandlerStub<Name>,
/// X<Name>, Meta<Name> and State<Name> declarations, as \p Options asks.
/// It includes the interface header as Model.IncludeName.
std::string emitHeader(const FileModel &Model, const EmitOptions &Options = {});

/// The generated source (`<stem>.k42.cpp`), which includes the generated
/// header as \p GeneratedHeader.
std::string emitSource(const FileModel &Model, llvm::StringRef GeneratedHeader,
                       const EmitOptions &Options = {});

/// The model as a JSON document.
std::string emitJson(const FileModel &Model);

} // namespace stubc

#endif // K42_STUBC_EMITTER_H
