//===- stubc/lib/Extract/TypeNames.cpp - Recognising types ----------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "Extract/TypeNames.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/QualTypeNames.h"

using namespace clang;

namespace stubc {

std::string spellType(QualType T, const ASTContext &Context) {
  PrintingPolicy Policy(Context.getLangOpts());
  Policy.SuppressScope = false;
  Policy.AnonymousTagLocations = false;
  Policy.SuppressUnwrittenScope = true;
  Policy.FullyQualifiedName = true;
  Policy.Bool = true;
  return TypeName::getFullyQualifiedName(T, Context, Policy,
                                         /*WithGlobalNsPrefix=*/false);
}

const ClassTemplateSpecializationDecl *asStdTemplate(QualType T,
                                                     llvm::StringRef Name) {
  const auto *RD = T.getCanonicalType()->getAsCXXRecordDecl();
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(RD);
  if (!Spec || !Spec->isInStdNamespace())
    return nullptr;
  if (!Spec->getIdentifier() || Spec->getName() != Name)
    return nullptr;
  return Spec;
}

QualType firstTypeArgument(QualType T,
                           const ClassTemplateSpecializationDecl *Spec) {
  if (const auto *Written = T->getAs<TemplateSpecializationType>()) {
    llvm::ArrayRef<TemplateArgument> Args = Written->template_arguments();
    if (!Args.empty() && Args[0].getKind() == TemplateArgument::Type)
      return Args[0].getAsType();
  }
  const TemplateArgumentList &Args = Spec->getTemplateArgs();
  if (Args.size() == 0 || Args[0].getKind() != TemplateArgument::Type)
    return QualType();
  return Args[0].getAsType();
}

bool isK42Class(QualType T, llvm::StringRef Name) {
  const auto *RD = T.getCanonicalType()->getAsCXXRecordDecl();
  if (!RD || !RD->getIdentifier() || RD->getName() != Name)
    return false;
  const auto *NS = dyn_cast<NamespaceDecl>(RD->getDeclContext());
  return NS && NS->getIdentifier() && NS->getName() == "k42" &&
         NS->getParent()->isTranslationUnit();
}

static bool isCharTemplate(QualType T, llvm::StringRef Name) {
  const ClassTemplateSpecializationDecl *Spec = asStdTemplate(T, Name);
  if (!Spec)
    return false;
  QualType Arg = firstTypeArgument(T, Spec);
  if (Arg.isNull())
    return false;
  const Type *Canonical = Arg.getCanonicalType().getTypePtr();
  return Canonical->isSpecificBuiltinType(BuiltinType::Char_S) ||
         Canonical->isSpecificBuiltinType(BuiltinType::Char_U);
}

bool isStdString(QualType T) { return isCharTemplate(T, "basic_string"); }

bool isStdStringView(QualType T) {
  return isCharTemplate(T, "basic_string_view");
}

} // namespace stubc
