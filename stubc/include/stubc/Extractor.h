//===- stubc/include/stubc/Extractor.h - AST to model -----------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The first stage of stubc: walks a parsed translation unit, finds the
/// classes decorated with <k42/idl.h>, checks every rule of the vocabulary
/// and builds the interface model. Every problem is reported through the
/// translation unit's DiagnosticsEngine with a stable stubc-NNNN id, so the
/// same checks run in the stubc tool and in the Clang plugin.
///
//===----------------------------------------------------------------------===//

#ifndef K42_STUBC_EXTRACTOR_H
#define K42_STUBC_EXTRACTOR_H

#include "stubc/Model.h"

#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace clang {
class ASTContext;
class Sema;
} // namespace clang

namespace stubc {

/// Builds FileModels from an AST.
class Extractor {
public:
  /// Decides whether a declaration at a location is modelled and checked.
  /// stubc passes "in the main file"; the plugin "not in a system header".
  using ScopeFn = llvm::function_ref<bool(clang::SourceLocation)>;

  /// \p S, when given, lets the extractor instantiate class template
  /// specializations that nothing else needed complete yet (a
  /// std::array<uint8_t, 16> that only appears in a parameter list), so
  /// their size and copyability are known.
  explicit Extractor(clang::ASTContext &Context, clang::Sema *S = nullptr);

  /// Models every exported interface and every class with K42_STATE fields
  /// declared in scope, in declaration order, appending them to \p Model.
  /// Exported bases declared out of scope are modelled for their methods and
  /// rights but not emitted. Returns false if any error was reported (the
  /// model is then incomplete and must not be emitted).
  bool run(FileModel &Model, ScopeFn InScope);

private:
  clang::ASTContext &Context;
  clang::Sema *S;
};

} // namespace stubc

#endif // K42_STUBC_EXTRACTOR_H
