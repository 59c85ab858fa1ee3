//===- stubc/lib/Extract/ParamClassifier.h - Marshalling rules --*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Decides, for one parameter of an exported method, how it crosses a PPC
/// page (its ParamKind) and which way it travels (its Direction), or reports
/// why it cannot cross at all. The rules are the table in idl/README.md.
///
//===----------------------------------------------------------------------===//

#ifndef K42_STUBC_LIB_EXTRACT_PARAMCLASSIFIER_H
#define K42_STUBC_LIB_EXTRACT_PARAMCLASSIFIER_H

#include "Extract/Diagnoser.h"
#include "stubc/Model.h"

#include <string>

namespace clang {
class ASTContext;
class ParmVarDecl;
class QualType;
class Sema;
} // namespace clang

namespace stubc {

/// Applies the marshalling rules to parameters.
class ParamClassifier {
public:
  ParamClassifier(const clang::ASTContext &Context, Diagnoser &Diags,
                  clang::Sema *S = nullptr)
      : Context(Context), Diags(Diags), S(S) {}

  /// Fills \p Out for parameter \p P (the \p Index th). For raw buffers,
  /// \p LengthName receives the name K42_LENGTH gave; the caller resolves it
  /// once every parameter is known. Returns false after reporting an error.
  bool classify(const clang::ParmVarDecl *P, unsigned Index, ParamModel &Out,
                std::string &LengthName);

private:
  /// Checks an array element type (vector, span, raw buffer); fills Size,
  /// Align and ElementType.
  bool classifyElement(const clang::ParmVarDecl *P, clang::QualType Element,
                       ParamModel &Out);

  const clang::ASTContext &Context;
  Diagnoser &Diags;
  clang::Sema *S;
};

} // namespace stubc

#endif // K42_STUBC_LIB_EXTRACT_PARAMCLASSIFIER_H
