//===- stubc/lib/Emit/JsonEmitter.cpp - Model to JSON ---------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// `stubc --emit=json`: the model exactly as the C++ emitter sees it, for
/// documentation tools, compatibility checks between releases and tests.
/// 64-bit values (fingerprints, rights masks) are hex strings, because JSON
/// readers commonly lose precision above 2^53.
///
//===----------------------------------------------------------------------===//

#include "Emit/Spelling.h"
#include "Extract/Fingerprint.h"
#include "stubc/Emitter.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace stubc {
namespace {

using llvm::json::Array;
using llvm::json::Object;
using llvm::json::Value;

Value param(const MethodModel &M, const ParamModel &P) {
  Object O{{"name", P.Name},
           {"type", P.Type},
           {"kind", kindName(P.Kind)},
           {"direction", directionName(P.Dir)},
           {"valueType", P.ValueType}};
  if (!P.ElementType.empty())
    O["elementType"] = P.ElementType;
  if (!P.UnderlyingType.empty())
    O["underlyingType"] = P.UnderlyingType;
  if (P.LengthParam >= 0)
    O["length"] = M.Params[P.LengthParam].Name;
  if (P.IsLengthOf)
    O["isLength"] = true;
  if (P.Size)
    O["size"] = int64_t(P.Size);
  return O;
}

Value method(const MethodModel &M) {
  Array Params, Rights;
  for (const ParamModel &P : M.Params)
    Params.push_back(param(M, P));
  for (const std::string &R : M.RequiredRightNames)
    Rights.push_back(R);
  return Object{{"name", M.Name},
                {"id", int64_t(M.Id)},
                {"idHex", hex32(M.Id)},
                {"explicitId", M.IdExplicit},
                {"oneWay", M.OneWay},
                {"const", M.Const},
                {"requiredRights", std::move(Rights)},
                {"requiredMask", hex64(M.RequiredRights)},
                {"declaredBy", M.DeclaringInterface},
                {"fixedRequestBytes", int64_t(M.FixedRequestBytes)},
                {"fixedReplyBytes", int64_t(M.FixedReplyBytes)},
                {"params", std::move(Params)}};
}

Value interface(const InterfaceModel &I) {
  Array Namespaces, Compatible, Rights, Methods;
  for (const std::string &N : I.Namespaces)
    Namespaces.push_back(N);
  for (uint64_t F : I.Compatible)
    Compatible.push_back(hex64(F));
  for (const RightModel &R : I.Rights)
    Rights.push_back(Object{{"name", R.Name},
                            {"bit", int64_t(R.Bit)},
                            {"declaredBy", R.DeclaringInterface}});
  for (const MethodModel &M : I.Methods)
    Methods.push_back(method(M));
  Object O{{"name", I.Name},
           {"qualifiedName", I.QualifiedName},
           {"namespaces", std::move(Namespaces)},
           {"line", int64_t(I.Line)},
           {"version", int64_t(I.Version)},
           {"fingerprint", hex64(I.Fingerprint)},
           {"compatible", std::move(Compatible)},
           {"signature", canonicalSignature(I)},
           {"rights", std::move(Rights)},
           {"methods", std::move(Methods)}};
  if (!I.Base.empty())
    O["base"] = I.Base;
  if (I.Trace)
    O["trace"] = true;
  return O;
}

const char *stateKindName(StateKind Kind) {
  switch (Kind) {
  case StateKind::Trivial:
    return "trivial";
  case StateKind::Atomic:
    return "atomic";
  case StateKind::String:
    return "string";
  case StateKind::Vector:
    return "vector";
  }
  return "unknown";
}

Value stateClass(const StateClassModel &S) {
  Array Fields;
  for (const StateFieldModel &F : S.Fields) {
    Object O{{"name", F.Name}, {"type", F.Type}, {"kind", stateKindName(F.Kind)}};
    if (!F.ElementType.empty())
      O["elementType"] = F.ElementType;
    Fields.push_back(std::move(O));
  }
  return Object{{"name", S.Name},
                {"qualifiedName", S.QualifiedName},
                {"fields", std::move(Fields)}};
}

} // namespace

std::string emitJson(const FileModel &Model) {
  Array Interfaces, States;
  for (const InterfaceModel &I : Model.Interfaces)
    Interfaces.push_back(interface(I));
  for (const StateClassModel &S : Model.StateClasses)
    States.push_back(stateClass(S));
  Value Root = Object{{"file", Model.IncludeName},
                      {"interfaces", std::move(Interfaces)},
                      {"stateClasses", std::move(States)}};
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  OS << llvm::formatv("{0:2}", Root) << "\n";
  OS.flush();
  return Text;
}

} // namespace stubc
