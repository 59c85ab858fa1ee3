//===- stubc/lib/Extract/ParamClassifier.cpp - Marshalling rules ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "Extract/ParamClassifier.h"
#include "Extract/Decorations.h"
#include "Extract/TypeNames.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/TypeLoc.h"
#include "clang/Sema/Sema.h"

using namespace clang;

namespace stubc {
namespace {

/// Arrays in a PPC page are aligned to 8 bytes, so elements may ask no more.
constexpr uint64_t MaxElementAlign = 8;

/// The parameter's whole type as written, leading cv-qualifiers included
/// (the TypeLoc alone starts after them).
SourceRange typeRange(const ParmVarDecl *P) {
  const TypeSourceInfo *TSI = P->getTypeSourceInfo();
  if (!TSI)
    return SourceRange();
  SourceRange Type = TSI->getTypeLoc().getSourceRange();
  SourceLocation Start = P->getInnerLocStart();
  if (Start.isValid() && Start.isFileID() && Type.getBegin().isFileID() &&
      !(Type.getBegin() < Start))
    Type.setBegin(Start);
  return Type;
}

} // namespace

bool ParamClassifier::classifyElement(const ParmVarDecl *P, QualType Element,
                                      ParamModel &Out) {
  QualType Bare = Element.getUnqualifiedType();
  if (S && !Bare->isDependentType() && !Bare->isVoidType() &&
      !Bare->isFunctionType())
    (void)S->isCompleteType(P->getLocation(), Bare);
  if (Bare->isVoidType() || Bare->isIncompleteType() ||
      Bare->isDependentType() || Bare->isSpecificBuiltinType(BuiltinType::Bool) ||
      !Bare.isTriviallyCopyableType(Context) || Bare->isPointerType() ||
      Bare->isMemberPointerType()) {
    Diags.report(P->getLocation(), Diag::ElementNotTriviallyCopyable)
        << P << Bare;
    return false;
  }
  uint64_t Align = Context.getTypeAlignInChars(Bare).getQuantity();
  if (Align > MaxElementAlign) {
    Diags.report(P->getLocation(), Diag::OverAlignedElement)
        << P << Bare << unsigned(Align);
    return false;
  }
  Out.ElementType = spellType(Bare, Context);
  Out.Size = Context.getTypeSizeInChars(Bare).getQuantity();
  Out.Align = Align;
  return true;
}

bool ParamClassifier::classify(const ParmVarDecl *P, unsigned Index,
                               ParamModel &Out, std::string &LengthName) {
  QualType T = P->getType();
  SourceLocation Loc = P->getLocation();
  Out.Name = P->getName().empty() ? "Arg" + std::to_string(Index)
                                  : P->getName().str();
  Out.Type = spellType(T, Context);

  const AnnotateAttr *Caller = findDecoration(P, deco::Caller);
  const AnnotateAttr *Length = findDecoration(P, deco::Length);
  bool InOut = findDecoration(P, deco::InOut) != nullptr;

  if (T->isDependentType()) {
    // Only member templates and class templates get here, and both are
    // reported where they are declared.
    return false;
  }

  if (Caller) {
    QualType Value = T.getNonReferenceType();
    bool Ok = isK42Class(Value, "Badge") && !Value.isVolatileQualified() &&
              (!T->isReferenceType() ||
               (T->isLValueReferenceType() && Value.isConstQualified()));
    if (!Ok) {
      Diags.report(Loc, Diag::CallerWrongType)
          << P << T
          << FixItHint::CreateReplacement(typeRange(P), "const k42::Badge &");
      return false;
    }
    Out.Kind = ParamKind::Caller;
    Out.Dir = Direction::In;
    Out.ValueType = "k42::Badge";
    Out.Size = Context.getTypeSizeInChars(Value).getQuantity();
    return true;
  }

  if (T->isRValueReferenceType()) {
    QualType Pointee = T->getPointeeType();
    Pointee.addConst();
    Diags.report(Loc, Diag::RvalueReferenceParam)
        << P
        << FixItHint::CreateReplacement(
               typeRange(P), spellType(Pointee, Context) + " &");
    return false;
  }

  bool IsRef = T->isLValueReferenceType();
  QualType Value = IsRef ? T->getPointeeType() : T;
  // A specialization used only here may not be instantiated yet.
  if (S && !Value->isDependentType() && !Value->isVoidType() &&
      !Value->isFunctionType())
    (void)S->isCompleteType(Loc, Value);
  bool ConstValue = Value.isConstQualified();
  QualType Bare = Value.getUnqualifiedType();
  if (Bare->isArrayType()) {
    // cv on an array type sits on its elements.
    Qualifiers Dropped;
    Bare = const_cast<ASTContext &>(Context).getUnqualifiedArrayType(Value,
                                                                     Dropped);
    ConstValue = Dropped.hasConst();
  }
  Out.ValueType = spellType(Bare, Context);

  if (Length && (IsRef || !T->isPointerType())) {
    Diags.report(Loc, Diag::LengthOnNonPointer) << P << T;
    return false;
  }

  // Function pointers, by value or by reference.
  if (Bare->isFunctionPointerType() || Bare->isFunctionType() ||
      Bare->isFunctionReferenceType() ||
      (Bare->isPointerType() && Bare->getPointeeType()->isFunctionType())) {
    Diags.report(Loc, Diag::FunctionPointerParam) << P;
    return false;
  }

  if (!IsRef && T->isPointerType()) {
    if (!Length) {
      Diags.report(Loc, Diag::RawPointerWithoutLength) << P;
      Diags.report(Loc, Diag::NoteUseSpanOrVector);
      return false;
    }
    QualType Element = T->getPointeeType();
    if (!classifyElement(P, Element, Out))
      return false;
    if (InOut && Element.isConstQualified()) {
      Diags.report(Loc, Diag::InOutNotReference) << P;
      return false;
    }
    Out.Kind = ParamKind::RawBuffer;
    Out.Dir = Element.isConstQualified()
                  ? Direction::In
                  : (InOut ? Direction::InOut : Direction::Out);
    LengthName = stringArgument(Length).value_or("");
    return true;
  }

  // The direction of everything else follows from reference and const.
  Direction Dir = Direction::In;
  if (IsRef && !ConstValue)
    Dir = InOut ? Direction::InOut : Direction::Out;
  else if (InOut && !asStdTemplate(Bare, "span")) {
    Diags.report(Loc, Diag::InOutNotReference) << P;
    return false;
  }
  Out.Dir = Dir;

  auto NoRule = [&] {
    Diags.report(Loc, Diag::NoMarshallingRule) << P << T;
    Diags.report(Loc, Diag::NoteSupportedTypes);
    return false;
  };

  if (Bare->isPointerType() || Bare->isMemberPointerType() ||
      Bare->isNullPtrType() || Bare->isVoidType())
    return NoRule();

  if (isStdString(Bare)) {
    Out.Kind = ParamKind::String;
    Out.Size = 1;
    return true;
  }
  if (isStdStringView(Bare)) {
    // A view cannot come back: it would point into the server's reply page.
    if (Dir != Direction::In)
      return NoRule();
    Out.Kind = ParamKind::String;
    Out.Size = 1;
    return true;
  }
  if (const auto *Spec = asStdTemplate(Bare, "vector")) {
    QualType Element = firstTypeArgument(Bare, Spec);
    if (Element.isNull() || !classifyElement(P, Element, Out))
      return false;
    Out.Kind = ParamKind::Vector;
    return true;
  }
  if (const auto *Spec = asStdTemplate(Bare, "span")) {
    // The span itself is a view; only a by-value or const & span works.
    if (IsRef && !ConstValue)
      return NoRule();
    // Only dynamic extents: the element count travels in the page.
    const TemplateArgumentList &Args = Spec->getTemplateArgs();
    if (Args.size() > 1 && Args[1].getKind() == TemplateArgument::Integral &&
        !Args[1].getAsIntegral().isAllOnes())
      return NoRule();
    QualType Element = firstTypeArgument(Bare, Spec);
    if (Element.isNull() || !classifyElement(P, Element, Out))
      return false;
    if (Element.isConstQualified()) {
      if (InOut) {
        Diags.report(Loc, Diag::InOutNotReference) << P;
        return false;
      }
      Out.Dir = Direction::In;
    } else {
      Out.Dir = InOut ? Direction::InOut : Direction::Out;
    }
    Out.Kind = ParamKind::Span;
    return true;
  }
  if (isK42Class(Bare, "ObjectHandle")) {
    Out.Kind = ParamKind::Handle;
    Out.Size = Context.getTypeSizeInChars(Bare).getQuantity();
    Out.Align = Context.getTypeAlignInChars(Bare).getQuantity();
    return true;
  }
  if (Bare->isEnumeralType() || Bare->isArithmeticType()) {
    if (Bare->isAnyComplexType())
      return NoRule();
    Out.Kind = ParamKind::Scalar;
    if (const auto *Enum = Bare->getAs<EnumType>())
      Out.UnderlyingType =
          spellType(Enum->getDecl()->getIntegerType(), Context);
    else if (Bare->isBooleanType())
      Out.UnderlyingType = "bool";
    Out.Size = Context.getTypeSizeInChars(Bare).getQuantity();
    Out.Align = Context.getTypeAlignInChars(Bare).getQuantity();
    return true;
  }
  if ((Bare->isRecordType() || Bare->isConstantArrayType()) &&
      !Bare->isIncompleteType() && Bare.isTriviallyCopyableType(Context)) {
    Out.Kind = ParamKind::Pod;
    Out.Size = Context.getTypeSizeInChars(Bare).getQuantity();
    Out.Align = Context.getTypeAlignInChars(Bare).getQuantity();
    return true;
  }
  return NoRule();
}

} // namespace stubc
