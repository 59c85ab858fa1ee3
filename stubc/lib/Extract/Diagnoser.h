//===- stubc/lib/Extract/Diagnoser.h - stubc's diagnostics ------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Registers every diagnostic of Diagnostics.def with a Clang
/// DiagnosticsEngine, so stubc's findings print exactly like Clang's own
/// (file:line:col, caret, fix-its, -verify, -Werror) in the tool and in the
/// plugin alike, and counts the errors stubc itself reported.
///
//===----------------------------------------------------------------------===//

#ifndef K42_STUBC_LIB_EXTRACT_DIAGNOSER_H
#define K42_STUBC_LIB_EXTRACT_DIAGNOSER_H

#include "clang/Basic/Diagnostic.h"

namespace stubc {

/// Every stubc diagnostic, by name.
enum class Diag : unsigned {
#define STUBC_DIAG(Name, Id, Level, Text) Name,
#include "Extract/Diagnostics.def"
  NumDiags
};

/// The stable number of \p D ("stubc-NNNN"), or 0 for notes.
unsigned diagNumber(Diag D);

/// Reports stubc diagnostics through a DiagnosticsEngine.
class Diagnoser {
public:
  explicit Diagnoser(clang::DiagnosticsEngine &Engine);

  /// Starts a diagnostic at \p Loc; stream arguments and fix-its into it.
  clang::DiagnosticBuilder report(clang::SourceLocation Loc, Diag D);

  /// True once any stubc error has been reported.
  bool hadError() const { return Errors != 0; }

private:
  clang::DiagnosticsEngine &Engine;
  unsigned Ids[unsigned(Diag::NumDiags)];
  unsigned Errors = 0;
};

} // namespace stubc

#endif // K42_STUBC_LIB_EXTRACT_DIAGNOSER_H
