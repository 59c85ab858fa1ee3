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

/// The generated header (`<stem>.k42.h`): Stub<Name>, X<Name>, Meta<Name>
/// and State<Name> declarations. It includes the interface header as
/// Model.IncludeName.
std::string emitHeader(const FileModel &Model);

/// The generated source (`<stem>.k42.cpp`), which includes the generated
/// header as \p GeneratedHeader.
std::string emitSource(const FileModel &Model, llvm::StringRef GeneratedHeader);

/// The model as a JSON document.
std::string emitJson(const FileModel &Model);

} // namespace stubc

#endif // K42_STUBC_EMITTER_H
