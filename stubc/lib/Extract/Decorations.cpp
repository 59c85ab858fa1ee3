//===- stubc/lib/Extract/Decorations.cpp - Reading <k42/idl.h> ------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "Extract/Decorations.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"

using namespace clang;

namespace stubc {

llvm::SmallVector<const AnnotateAttr *, 4> decorationsOf(const Decl *D) {
  llvm::SmallVector<const AnnotateAttr *, 4> Found;
  if (!D->hasAttrs())
    return Found;
  for (const auto *A : D->specific_attrs<AnnotateAttr>())
    if (A->getAnnotation().starts_with("k42."))
      Found.push_back(A);
  return Found;
}

const AnnotateAttr *findDecoration(const Decl *D, llvm::StringRef Name) {
  if (!D->hasAttrs())
    return nullptr;
  for (const auto *A : D->specific_attrs<AnnotateAttr>())
    if (A->getAnnotation() == Name)
      return A;
  return nullptr;
}

std::string macroName(llvm::StringRef Name) {
  std::string Macro = "K42_" + Name.drop_front(4).upper();
  return Macro;
}

std::optional<std::string> stringArgument(const AnnotateAttr *A) {
  if (A->args_size() < 1)
    return std::nullopt;
  const Expr *E = (*A->args_begin())->IgnoreParenImpCasts();
  if (const auto *S = dyn_cast<StringLiteral>(E))
    return S->getString().str();
  return std::nullopt;
}

std::optional<llvm::APSInt> integerArgument(const AnnotateAttr *A,
                                            const ASTContext &Context) {
  if (A->args_size() < 1)
    return std::nullopt;
  const Expr *E = *A->args_begin();
  if (E->isValueDependent() || E->isTypeDependent())
    return std::nullopt;
  if (!E->getType()->isIntegralOrEnumerationType())
    return std::nullopt;
  return E->getIntegerConstantExpr(Context);
}

llvm::SmallVector<std::string, 8> splitNames(llvm::StringRef List) {
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  List.split(Parts, ',');
  llvm::SmallVector<std::string, 8> Names;
  for (llvm::StringRef Part : Parts) {
    Part = Part.trim();
    if (!Part.empty())
      Names.push_back(Part.str());
  }
  return Names;
}

} // namespace stubc
