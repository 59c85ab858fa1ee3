//===- stubc/lib/Extract/Extractor.cpp - AST to model ---------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Walks the translation unit for K42_EXPORT classes and K42_STATE fields,
/// checks every rule of <k42/idl.h> and builds the model. The checks keep
/// going after an error, so one run shows every mistake in a header, but a
/// model with any error in it is never handed to an emitter.
///
//===----------------------------------------------------------------------===//

#include "stubc/Extractor.h"
#include "Extract/Decorations.h"
#include "Extract/Diagnoser.h"
#include "Extract/Fingerprint.h"
#include "Extract/ParamClassifier.h"
#include "Extract/TypeNames.h"
#include "stubc/Hash.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclFriend.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/CharInfo.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "clang/Sema/Sema.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <map>
#include <memory>

using namespace clang;

namespace stubc {
namespace {

/// The payload of one PPC page (k42::PPCPage::PayloadCapacity).
constexpr uint64_t PageCapacity = 4096 - 32;

bool isExported(const Decl *D) {
  return findDecoration(D, deco::Export) != nullptr;
}

/// The methods an exported class exports: public, non-static, not special.
bool isExportedMethodShape(const CXXMethodDecl *MD) {
  if (MD->isImplicit() || MD->isStatic() || MD->getAccess() != AS_public)
    return false;
  if (isa<CXXConstructorDecl, CXXDestructorDecl, CXXConversionDecl>(MD))
    return false;
  if (MD->isOverloadedOperator() || MD->isDeleted())
    return false;
  return true;
}

std::string hex32(uint32_t Value) {
  std::string Text;
  llvm::raw_string_ostream(Text) << llvm::format("0x%08x", Value);
  return Text;
}

uint64_t roundUp8(uint64_t Value) { return (Value + 7) & ~uint64_t(7); }

/// What the interface cache keeps beside the model: the declarations, for
/// notes that point at inherited methods.
struct ModelledInterface {
  bool Ok = false;
  InterfaceModel Model;
  std::vector<const CXXMethodDecl *> MethodDecls;
};

/// Collects in-scope declarations in source order.
class Collector : public RecursiveASTVisitor<Collector> {
public:
  explicit Collector(Extractor::ScopeFn InScope) : InScope(InScope) {}

  bool shouldVisitTemplateInstantiations() const { return false; }

  bool VisitDecl(Decl *D) {
    if (!D->hasAttrs() || decorationsOf(D).empty())
      return true;
    if (!InScope(D->getLocation()))
      return true;
    Decorated.push_back(D);
    return true;
  }

  bool VisitCXXRecordDecl(CXXRecordDecl *RD) {
    if (!RD->isThisDeclarationADefinition() || !InScope(RD->getLocation()))
      return true;
    bool HasState = llvm::any_of(RD->fields(), [](const FieldDecl *F) {
      return findDecoration(F, deco::State) != nullptr;
    });
    if (isExported(RD) || HasState)
      Records.push_back(RD);
    return true;
  }

  std::vector<const Decl *> Decorated;
  std::vector<const CXXRecordDecl *> Records;

private:
  Extractor::ScopeFn InScope;
};

/// The work of one Extractor::run.
class Modeler {
public:
  Modeler(ASTContext &Context, Sema *S)
      : Context(Context), SM(Context.getSourceManager()),
        Diags(Context.getDiagnostics()), Params(Context, Diags, S), S(S) {}

  const ModelledInterface &interfaceOf(const CXXRecordDecl *RD);
  bool stateClassOf(const CXXRecordDecl *RD, StateClassModel &Out);
  void checkPlacement(const Decl *D);
  bool hadError() const { return Diags.hadError(); }

private:
  bool modelInterface(const CXXRecordDecl *RD, ModelledInterface &Out);
  bool modelRights(const CXXRecordDecl *RD, InterfaceModel &Model);
  bool modelMethod(const CXXRecordDecl *RD, const CXXMethodDecl *MD,
                   InterfaceModel &Model, const AnnotateAttr *DefaultRequires,
                   MethodModel &Out);
  /// Turns the right names of \p A into a mask; reports unknown names
  /// unless \p Report is false (K42_DEFAULT_REQUIRES is checked once, at
  /// the class, not again for every method it applies to).
  bool resolveRights(const NamedDecl *D, const AnnotateAttr *A,
                     const InterfaceModel &Model, MethodModel &Out,
                     bool Report = true);
  bool checkSizes(const CXXMethodDecl *MD, MethodModel &M);
  /// The argument of K42_VERSION or K42_METHOD_ID (\p Macro), which must
  /// be an integer constant in [1, 2^32); reports stubc-0023 otherwise.
  std::optional<uint32_t> positive32(const AnnotateAttr *A,
                                     llvm::StringRef Macro);
  void namespacesOf(const DeclContext *DC, std::vector<std::string> &Out);
  bool classifyStateField(const FieldDecl *F, StateFieldModel &Out);

  ASTContext &Context;
  SourceManager &SM;
  Diagnoser Diags;
  ParamClassifier Params;
  Sema *S;
  std::map<const CXXRecordDecl *, std::unique_ptr<ModelledInterface>> Cache;
};

void Modeler::namespacesOf(const DeclContext *DC,
                           std::vector<std::string> &Out) {
  std::vector<std::string> Reversed;
  for (; DC && !DC->isTranslationUnit(); DC = DC->getParent())
    if (const auto *NS = dyn_cast<NamespaceDecl>(DC))
      Reversed.push_back(NS->isAnonymousNamespace() ? "" : NS->getName().str());
  Out.assign(Reversed.rbegin(), Reversed.rend());
}

const ModelledInterface &Modeler::interfaceOf(const CXXRecordDecl *RD) {
  RD = RD->getDefinition() ? RD->getDefinition() : RD;
  auto It = Cache.find(RD);
  if (It != Cache.end())
    return *It->second;
  auto Entry = std::make_unique<ModelledInterface>();
  ModelledInterface &Result = *Entry;
  // Insert first: a class cannot derive from itself, but be safe anyway.
  Cache.emplace(RD, std::move(Entry));
  Result.Ok = modelInterface(RD, Result);
  return Result;
}

bool Modeler::modelRights(const CXXRecordDecl *RD, InterfaceModel &Model) {
  bool Ok = true;
  std::string Qualified = RD->getQualifiedNameAsString();
  for (const AnnotateAttr *A : decorationsOf(RD)) {
    if (A->getAnnotation() != deco::Rights)
      continue;
    for (const std::string &Name : splitNames(stringArgument(A).value_or(""))) {
      if (Name == "all" || Name == "none" || !isValidAsciiIdentifier(Name)) {
        Diags.report(A->getLocation(), Diag::InvalidRightName)
            << ("'" + Name + "'");
        Ok = false;
        continue;
      }
      if (llvm::any_of(Model.Rights,
                       [&](const RightModel &R) { return R.Name == Name; })) {
        Diags.report(A->getLocation(), Diag::RightDeclaredTwice)
            << ("'" + Name + "'") << RD;
        Ok = false;
        continue;
      }
      Model.Rights.push_back(
          {Name, unsigned(Model.Rights.size()), Qualified});
    }
  }
  if (Model.Rights.size() > 64) {
    Diags.report(RD->getLocation(), Diag::TooManyRights)
        << RD << unsigned(Model.Rights.size());
    Ok = false;
  }
  return Ok;
}

bool Modeler::resolveRights(const NamedDecl *D, const AnnotateAttr *A,
                            const InterfaceModel &Model, MethodModel &Out,
                            bool Report) {
  bool Ok = true;
  for (const std::string &Name : splitNames(stringArgument(A).value_or(""))) {
    // K42_REQUIRES(none), like K42_REQUIRES(), asks for nothing.
    if (Name == "none")
      continue;
    const RightModel *Found = nullptr;
    for (const RightModel &R : Model.Rights)
      if (R.Name == Name)
        Found = &R;
    if (Found) {
      if (Found->Bit < 64)
        Out.RequiredRights |= uint64_t(1) << Found->Bit;
      continue;
    }
    std::string Declared;
    const RightModel *Nearest = nullptr;
    unsigned NearestDistance = 3;
    for (const RightModel &R : Model.Rights) {
      Declared += (Declared.empty() ? "'" : ", '") + R.Name + "'";
      unsigned Distance = llvm::StringRef(R.Name).edit_distance(Name);
      if (Distance < NearestDistance) {
        NearestDistance = Distance;
        Nearest = &R;
      }
    }
    if (Declared.empty())
      Declared = "none";
    Ok = false;
    if (!Report)
      continue;
    Diags.report(A->getLocation(), Diag::UnknownRight)
        << ("'" + Name + "'") << D << Declared;
    if (Nearest)
      Diags.report(A->getLocation(), Diag::NoteDidYouMean)
          << ("'" + Nearest->Name + "'");
    Ok = false;
  }
  for (const RightModel &R : Model.Rights)
    if (R.Bit < 64 && (Out.RequiredRights >> R.Bit & 1))
      Out.RequiredRightNames.push_back(R.Name);
  return Ok;
}

bool Modeler::checkSizes(const CXXMethodDecl *MD, MethodModel &M) {
  uint64_t Request = 0, Reply = 0;
  uint64_t LargestRequest = 0, LargestReply = 0;
  std::string LargestRequestName, LargestReplyName;
  for (const ParamModel &P : M.Params) {
    uint64_t Part = 0;
    switch (P.Kind) {
    case ParamKind::Caller:
      continue;
    case ParamKind::Scalar:
    case ParamKind::Pod:
    case ParamKind::Handle:
      Part = roundUp8(P.Size);
      break;
    default:
      Part = 8; // The element count and its padding.
      break;
    }
    bool InRequest = P.Dir != Direction::Out ||
                     (P.Kind == ParamKind::Span && P.Dir == Direction::Out);
    bool InReply = P.Dir != Direction::In;
    if (InRequest) {
      Request += Part;
      if (Part > LargestRequest) {
        LargestRequest = Part;
        LargestRequestName = P.Name;
      }
    }
    if (InReply) {
      Reply += Part;
      if (Part > LargestReply) {
        LargestReply = Part;
        LargestReplyName = P.Name;
      }
    }
  }
  M.FixedRequestBytes = Request;
  M.FixedReplyBytes = Reply;
  bool Ok = true;
  if (Request > PageCapacity) {
    Diags.report(MD->getLocation(), Diag::MessageTooBig)
        << 0 << MD << unsigned(Request) << unsigned(PageCapacity);
    Diags.report(MD->getLocation(), Diag::NoteLargestPart)
        << ("'" + LargestRequestName + "'") << unsigned(LargestRequest);
    Ok = false;
  }
  if (Reply > PageCapacity) {
    Diags.report(MD->getLocation(), Diag::MessageTooBig)
        << 1 << MD << unsigned(Reply) << unsigned(PageCapacity);
    Diags.report(MD->getLocation(), Diag::NoteLargestPart)
        << ("'" + LargestReplyName + "'") << unsigned(LargestReply);
    Ok = false;
  }
  return Ok;
}

std::optional<uint32_t> Modeler::positive32(const AnnotateAttr *A,
                                            llvm::StringRef Macro) {
  std::optional<llvm::APSInt> Value = integerArgument(A, Context);
  if (!Value || Value->isNegative() || *Value == 0 ||
      Value->getActiveBits() > 32) {
    Diags.report(A->getLocation(), Diag::BadConstantArgument)
        << Macro;
    return std::nullopt;
  }
  return uint32_t(Value->getZExtValue());
}

bool Modeler::modelMethod(const CXXRecordDecl *RD, const CXXMethodDecl *MD,
                          InterfaceModel &Model,
                          const AnnotateAttr *DefaultRequires,
                          MethodModel &M) {
  bool Ok = true;
  M.Name = MD->getNameAsString();
  M.DeclaringInterface = Model.QualifiedName;
  M.OneWay = findDecoration(MD, deco::OneWay) != nullptr;
  M.Const = MD->isConst();

  if (!MD->isVirtual()) {
    Diags.report(MD->getLocation(), Diag::MethodNotVirtual)
        << MD
        << FixItHint::CreateInsertion(MD->getTypeSpecStartLoc(), "virtual ");
    Ok = false;
  }

  QualType Result = MD->getReturnType();
  if (M.OneWay) {
    if (!Result->isVoidType()) {
      Diags.report(MD->getLocation(), Diag::OneWayNonVoid) << MD << Result;
      Ok = false;
    }
  } else if (Result->isReferenceType() || !isK42Class(Result, "Status")) {
    Diags.report(MD->getLocation(), Diag::BadReturnType) << MD << Result;
    Ok = false;
  }

  // Parameters.
  std::vector<std::string> LengthNames;
  const ParmVarDecl *FirstCaller = nullptr;
  for (unsigned I = 0; I < MD->getNumParams(); ++I) {
    const ParmVarDecl *P = MD->getParamDecl(I);
    ParamModel Param;
    std::string LengthName;
    if (!Params.classify(P, I, Param, LengthName))
      Ok = false;
    if (P->hasDefaultArg()) {
      SourceLocation NameEnd =
          Lexer::getLocForEndOfToken(P->getLocation(), 0, SM,
                                     Context.getLangOpts());
      SourceRange Arg = P->hasUninstantiatedDefaultArg() || !P->getDefaultArg()
                            ? SourceRange()
                            : P->getDefaultArgRange();
      auto Report = Diags.report(P->getLocation(), Diag::DefaultArgument)
                    << P << MD;
      if (NameEnd.isValid() && Arg.isValid() && !P->getName().empty())
        Report << FixItHint::CreateRemoval(CharSourceRange::getTokenRange(
            SourceRange(NameEnd, Arg.getEnd())));
      Ok = false;
    }
    if (Param.Kind == ParamKind::Caller) {
      if (FirstCaller) {
        Diags.report(P->getLocation(), Diag::CallerTwice) << MD;
        Diags.report(FirstCaller->getLocation(), Diag::NoteCallerHere);
        Ok = false;
      } else {
        FirstCaller = P;
      }
    }
    if (M.OneWay && Param.Dir != Direction::In &&
        Param.Kind != ParamKind::Caller) {
      Diags.report(P->getLocation(), Diag::OneWayWithOutParam) << MD << P;
      Ok = false;
    }
    M.Params.push_back(std::move(Param));
    LengthNames.push_back(std::move(LengthName));
  }

  // K42_LENGTH names another parameter: an integer, by value, in.
  for (unsigned I = 0; I < M.Params.size(); ++I) {
    ParamModel &Param = M.Params[I];
    if (Param.Kind != ParamKind::RawBuffer || LengthNames[I].empty()) {
      if (Param.Kind == ParamKind::RawBuffer) {
        Diags.report(MD->getParamDecl(I)->getLocation(),
                     Diag::LengthNotAParameter)
            << "" << MD->getParamDecl(I) << MD;
        Ok = false;
      }
      continue;
    }
    const ParmVarDecl *Count = nullptr;
    unsigned CountIndex = 0;
    for (unsigned J = 0; J < MD->getNumParams(); ++J)
      if (MD->getParamDecl(J)->getName() == LengthNames[I]) {
        Count = MD->getParamDecl(J);
        CountIndex = J;
      }
    const ParmVarDecl *P = MD->getParamDecl(I);
    if (!Count || Count == P) {
      Diags.report(P->getLocation(), Diag::LengthNotAParameter)
          << LengthNames[I] << P << MD;
      Ok = false;
      continue;
    }
    QualType CountType = Count->getType();
    if (!CountType->isIntegerType() || CountType->isBooleanType() ||
        CountType->isEnumeralType() || CountType->isReferenceType()) {
      Diags.report(P->getLocation(), Diag::LengthNotIntegral)
          << LengthNames[I] << P << CountType;
      Diags.report(Count->getLocation(), Diag::NotePreviousDeclaration)
          << Count;
      Ok = false;
      continue;
    }
    Param.LengthParam = int(CountIndex);
    M.Params[CountIndex].IsLengthOf = true;
  }

  // Rights.
  if (const AnnotateAttr *A = findDecoration(MD, deco::Requires))
    Ok &= resolveRights(MD, A, Model, M);
  else if (DefaultRequires)
    Ok &= resolveRights(RD, DefaultRequires, Model, M, /*Report=*/false);

  // The method number.
  if (const AnnotateAttr *A = findDecoration(MD, deco::MethodId)) {
    std::optional<uint32_t> Id = positive32(A, "K42_METHOD_ID");
    Ok &= Id.has_value();
    M.Id = Id.value_or(0);
    M.IdExplicit = true;
  } else {
    M.Id = fnv1a32(Model.QualifiedName + "::" + M.Name);
  }

  Ok &= checkSizes(MD, M);
  return Ok;
}

bool Modeler::modelInterface(const CXXRecordDecl *RD, ModelledInterface &Out) {
  InterfaceModel &Model = Out.Model;
  bool Ok = true;
  Model.Name = RD->getNameAsString();
  Model.QualifiedName = RD->getQualifiedNameAsString();
  namespacesOf(RD->getDeclContext(), Model.Namespaces);
  PresumedLoc Where = SM.getPresumedLoc(SM.getExpansionLoc(RD->getLocation()));
  if (Where.isValid()) {
    Model.File = Where.getFilename();
    Model.Line = Where.getLine();
  }

  if (RD->getDescribedClassTemplate() ||
      isa<ClassTemplateSpecializationDecl>(RD) || RD->isDependentContext()) {
    Diags.report(RD->getLocation(), Diag::TemplateInterface) << RD;
    return false;
  }

  Model.Trace = findDecoration(RD, deco::Trace) != nullptr;

  if (const AnnotateAttr *A = findDecoration(RD, deco::Version)) {
    std::optional<uint32_t> Version = positive32(A, "K42_VERSION");
    Ok &= Version.has_value();
    Model.Version = Version.value_or(1);
  }

  // At most one exported base, public: its methods and rights come first.
  const ModelledInterface *Base = nullptr;
  const CXXRecordDecl *BaseDecl = nullptr;
  for (const CXXBaseSpecifier &B : RD->bases()) {
    const CXXRecordDecl *BRD = B.getType()->getAsCXXRecordDecl();
    if (!BRD || !isExported(BRD->getDefinition() ? BRD->getDefinition() : BRD))
      continue;
    if (B.getAccessSpecifier() != AS_public) {
      Diags.report(B.getBeginLoc(), Diag::NonPublicExportedBase) << RD << BRD;
      Ok = false;
      continue;
    }
    if (BaseDecl) {
      Diags.report(B.getBeginLoc(), Diag::MultipleExportedBases)
          << RD << BaseDecl << BRD;
      Ok = false;
      continue;
    }
    BaseDecl = BRD;
    Base = &interfaceOf(BRD);
    if (!Base->Ok)
      Ok = false;
  }
  if (Base) {
    Model.Base = Base->Model.QualifiedName;
    Model.Rights = Base->Model.Rights;
    Model.Methods = Base->Model.Methods;
    Out.MethodDecls = Base->MethodDecls;
  }

  Ok &= modelRights(RD, Model);
  const AnnotateAttr *DefaultRequires =
      findDecoration(RD, deco::DefaultRequires);
  if (DefaultRequires) {
    MethodModel Probe;
    Ok &= resolveRights(RD, DefaultRequires, Model, Probe);
  }

  // Member function templates cannot be exported.
  for (const Decl *D : RD->decls())
    if (const auto *FT = dyn_cast<FunctionTemplateDecl>(D))
      if (const auto *MD = dyn_cast<CXXMethodDecl>(FT->getTemplatedDecl()))
        if (isExportedMethodShape(MD)) {
          Diags.report(MD->getLocation(), Diag::TemplateMethod) << MD;
          Ok = false;
        }

  size_t Inherited = Model.Methods.size();
  for (const CXXMethodDecl *MD : RD->methods()) {
    if (!isExportedMethodShape(MD))
      continue;
    // An override of an inherited exported method is that method.
    bool OverridesInherited = llvm::any_of(
        MD->overridden_methods(), [&](const CXXMethodDecl *Overridden) {
          return llvm::is_contained(Out.MethodDecls,
                                    Overridden->getCanonicalDecl());
        });
    if (OverridesInherited)
      continue;
    MethodModel M;
    bool MethodOk = modelMethod(RD, MD, Model, DefaultRequires, M);
    Ok &= MethodOk;

    // Names and numbers must be unique across the whole interface.
    for (size_t I = 0; I < Model.Methods.size(); ++I) {
      const MethodModel &Earlier = Model.Methods[I];
      const CXXMethodDecl *EarlierDecl = Out.MethodDecls[I];
      if (Earlier.Name == M.Name && (!M.IdExplicit || !Earlier.IdExplicit)) {
        Diags.report(MD->getLocation(), Diag::OverloadWithoutId) << MD;
        Diags.report(EarlierDecl->getLocation(), Diag::NotePreviousDeclaration)
            << EarlierDecl;
        Ok = false;
        break;
      }
      if (Earlier.Id == M.Id && M.Id != 0) {
        if (I < Inherited)
          Diags.report(MD->getLocation(), Diag::InheritedIdCollision)
              << hex32(M.Id) << MD << EarlierDecl << EarlierDecl->getParent();
        else
          Diags.report(MD->getLocation(), Diag::MethodIdCollision)
              << hex32(M.Id) << MD << EarlierDecl;
        Diags.report(EarlierDecl->getLocation(), Diag::NotePreviousDeclaration)
            << EarlierDecl;
        Ok = false;
        break;
      }
    }
    Model.Methods.push_back(std::move(M));
    Out.MethodDecls.push_back(MD->getCanonicalDecl());
  }

  const CXXDestructorDecl *Dtor = RD->getDestructor();
  if (!Dtor || !Dtor->isVirtual())
    Diags.report(RD->getLocation(), Diag::NoVirtualDestructor) << RD;

  Model.Fingerprint = fingerprintOf(Model);
  Model.Compatible.push_back(Model.Fingerprint);
  if (Base)
    Model.Compatible.insert(Model.Compatible.end(),
                            Base->Model.Compatible.begin(),
                            Base->Model.Compatible.end());
  return Ok;
}

bool Modeler::classifyStateField(const FieldDecl *F, StateFieldModel &Out) {
  QualType T = F->getType();
  if (S && !T->isDependentType())
    (void)S->isCompleteType(F->getLocation(), T);
  Out.Name = F->getNameAsString();
  Out.Type = spellType(T.getUnqualifiedType(), Context);
  auto Unsupported = [&] {
    Diags.report(F->getLocation(), Diag::StateFieldUnsupported) << F << T;
    Diags.report(F->getLocation(), Diag::NoteStateSupported);
    return false;
  };
  if (T->isDependentType() || T->isReferenceType() || T.isConstQualified() ||
      F->isBitField() || T->isIncompleteType())
    return Unsupported();
  if (const auto *Spec = asStdTemplate(T, "atomic")) {
    QualType Element = firstTypeArgument(T, Spec);
    if (Element.isNull() ||
        !(Element->isArithmeticType() || Element->isEnumeralType()))
      return Unsupported();
    Out.Kind = StateKind::Atomic;
    Out.ElementType = spellType(Element, Context);
    return true;
  }
  if (isStdString(T)) {
    Out.Kind = StateKind::String;
    return true;
  }
  if (const auto *Spec = asStdTemplate(T, "vector")) {
    QualType Element = firstTypeArgument(T, Spec);
    if (Element.isNull() || Element->isBooleanType() ||
        !Element.isTriviallyCopyableType(Context))
      return Unsupported();
    Out.Kind = StateKind::Vector;
    Out.ElementType = spellType(Element, Context);
    return true;
  }
  if (T.isTriviallyCopyableType(Context)) {
    Out.Kind = StateKind::Trivial;
    return true;
  }
  return Unsupported();
}

bool Modeler::stateClassOf(const CXXRecordDecl *RD, StateClassModel &Out) {
  bool Ok = true;
  Out.Name = RD->getNameAsString();
  Out.QualifiedName = RD->getQualifiedNameAsString();
  namespacesOf(RD->getDeclContext(), Out.Namespaces);
  if (RD->getDescribedClassTemplate() || RD->isDependentContext()) {
    for (const FieldDecl *F : RD->fields())
      if (const AnnotateAttr *A = findDecoration(F, deco::State)) {
        Diags.report(A->getLocation(), Diag::DecorationMisplaced)
            << "K42_STATE" << "a field of a class template";
        Ok = false;
      }
    return false;
  }

  // The generated State<Name> must be able to read private fields.
  std::string Accessor = "State" + Out.Name;
  bool Granted = false;
  for (const FriendDecl *FD : RD->friends()) {
    const NamedDecl *Friend = nullptr;
    if (const TypeSourceInfo *TSI = FD->getFriendType())
      Friend = TSI->getType()->getAsTagDecl();
    else
      Friend = FD->getFriendDecl();
    if (Friend && Friend->getName() == Accessor)
      Granted = true;
  }

  bool ReportedAccess = false;
  for (const FieldDecl *F : RD->fields()) {
    if (!findDecoration(F, deco::State))
      continue;
    StateFieldModel Field;
    Ok &= classifyStateField(F, Field);
    if (F->getAccess() != AS_public && !Granted && !ReportedAccess) {
      ReportedAccess = true;
      SourceLocation Loc = SM.getExpansionLoc(F->getBeginLoc());
      auto Report = Diags.report(F->getLocation(), Diag::StateNotAccessible)
                    << F << RD << Accessor;
      if (Loc.isValid()) {
        // Insert a line of its own above the field, indented like it.
        FileID File = SM.getFileID(Loc);
        unsigned Line = SM.getExpansionLineNumber(Loc);
        SourceLocation LineStart = SM.translateLineCol(File, Line, 1);
        bool Invalid = false;
        const char *Text = SM.getCharacterData(LineStart, &Invalid);
        std::string Indent;
        while (!Invalid && Text && (*Text == ' ' || *Text == '\t'))
          Indent += *Text++;
        Report << FixItHint::CreateInsertion(
            LineStart, Indent + "K42_STATE_ACCESS(" + Out.Name + ");\n");
      }
      Ok = false;
    }
    Out.Fields.push_back(std::move(Field));
  }
  return Ok;
}

void Modeler::checkPlacement(const Decl *D) {
  llvm::SmallVector<llvm::StringRef, 4> Seen;
  for (const AnnotateAttr *A : decorationsOf(D)) {
    llvm::StringRef Name = A->getAnnotation();
    std::string Macro = macroName(Name);
    if (llvm::is_contained(Seen, Name)) {
      Diags.report(A->getLocation(), Diag::DuplicateDecoration)
          << Macro << cast<NamedDecl>(D);
      continue;
    }
    Seen.push_back(Name);

    const char *Wrong = nullptr;
    if (Name == deco::Export) {
      if (!isa<CXXRecordDecl>(D))
        Wrong = "anything but a class";
    } else if (Name == deco::Rights || Name == deco::DefaultRequires ||
               Name == deco::Version || Name == deco::Trace) {
      if (!isa<CXXRecordDecl>(D) || !isExported(D))
        Wrong = "a class that is not K42_EXPORT";
    } else if (Name == deco::Requires || Name == deco::OneWay ||
               Name == deco::MethodId) {
      const auto *MD = dyn_cast<CXXMethodDecl>(D);
      if (!MD)
        Wrong = "anything but a method";
      else if (!isExported(MD->getParent()))
        Wrong = "a method of a class that is not K42_EXPORT";
      else if (!isExportedMethodShape(MD))
        Wrong = "a method that is not exported (exported methods are public "
                "and non-static, and not constructors, destructors or "
                "operators)";
    } else if (Name == deco::Caller || Name == deco::Length ||
               Name == deco::InOut) {
      const auto *P = dyn_cast<ParmVarDecl>(D);
      const auto *MD =
          P ? dyn_cast<CXXMethodDecl>(P->getDeclContext()) : nullptr;
      if (!P)
        Wrong = "anything but a parameter";
      else if (!MD || !isExported(MD->getParent()) ||
               !isExportedMethodShape(MD))
        Wrong = "a parameter of a method that is not exported";
    } else if (Name == deco::State) {
      if (!isa<FieldDecl>(D))
        Wrong = "anything but a non-static data member";
    }
    if (Wrong)
      Diags.report(A->getLocation(), Diag::DecorationMisplaced)
          << Macro << Wrong;
  }
}

} // namespace

Extractor::Extractor(ASTContext &Context, Sema *S) : Context(Context), S(S) {}

bool Extractor::run(FileModel &Model, ScopeFn InScope) {
  Collector Collect(InScope);
  Collect.TraverseDecl(Context.getTranslationUnitDecl());
  Modeler M(Context, S);
  for (const Decl *D : Collect.Decorated)
    M.checkPlacement(D);
  for (const CXXRecordDecl *RD : Collect.Records) {
    if (isExported(RD)) {
      const ModelledInterface &I = M.interfaceOf(RD);
      if (I.Ok)
        Model.Interfaces.push_back(I.Model);
    }
    if (llvm::any_of(RD->fields(), [](const FieldDecl *F) {
          return findDecoration(F, deco::State) != nullptr;
        })) {
      StateClassModel State;
      if (M.stateClassOf(RD, State))
        Model.StateClasses.push_back(std::move(State));
    }
  }
  return !M.hadError();
}

} // namespace stubc
