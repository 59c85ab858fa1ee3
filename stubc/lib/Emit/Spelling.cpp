//===- stubc/lib/Emit/Spelling.cpp - Names in generated code --------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "Emit/Spelling.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

namespace stubc {

std::string declare(const std::string &Type, const std::string &Name) {
  if (Type.find_first_of("([") != std::string::npos)
    return "std::type_identity_t<" + Type + "> " + Name;
  if (!Type.empty() && (Type.back() == '&' || Type.back() == '*'))
    return Type + Name;
  return Type + " " + Name;
}

std::string hex32(uint32_t Value) {
  std::string Text;
  llvm::raw_string_ostream(Text) << llvm::format("0x%08x", Value);
  return Text;
}

std::string hex64(uint64_t Value) {
  std::string Text;
  llvm::raw_string_ostream(Text) << llvm::format("0x%016llx",
                                                 (unsigned long long)Value);
  return Text;
}

bool isOverloaded(const InterfaceModel &Interface, const MethodModel &Method) {
  for (const MethodModel &Other : Interface.Methods)
    if (&Other != &Method && Other.Name == Method.Name)
      return true;
  return false;
}

std::string methodKey(const InterfaceModel &Interface,
                      const MethodModel &Method) {
  if (!isOverloaded(Interface, Method))
    return Method.Name;
  return Method.Name + "_" + hex32(Method.Id).substr(2);
}

bool isReserved(const ParamModel &P) {
  return (P.Kind == ParamKind::Span || P.Kind == ParamKind::RawBuffer) &&
         P.Dir != Direction::In;
}

bool usesBulk(const MethodModel &M) {
  if (M.OneWay)
    return false;
  for (const ParamModel &P : M.Params)
    switch (P.Kind) {
    case ParamKind::String:
    case ParamKind::Vector:
    case ParamKind::Span:
    case ParamKind::RawBuffer:
      return true;
    default:
      break;
    }
  return false;
}

std::string putValue(const ParamModel &P, const std::string &Arg) {
  if (P.Kind == ParamKind::Scalar && P.UnderlyingType == "bool")
    return "  Out.putBool(" + Arg + ");\n";
  if (P.Kind == ParamKind::Scalar && !P.UnderlyingType.empty())
    return "  Out.put(static_cast<" + P.UnderlyingType + ">(" + Arg + "));\n";
  return "  Out.put(" + Arg + ");\n";
}

std::string getValue(const ParamModel &P, const std::string &Arg) {
  if (P.Kind == ParamKind::Scalar && P.UnderlyingType == "bool")
    return "  if (!In.getBool(" + Arg + "))\n";
  if (P.Kind == ParamKind::Scalar && !P.UnderlyingType.empty())
    return "  if (!In.getEnum(" + Arg + "))\n";
  return "  if (!In.get(" + Arg + "))\n";
}

std::string copyReserved(const MethodModel &M, const ParamModel &P) {
  std::string Arg = "Arg" + P.Name;
  if (P.Kind == ParamKind::Span)
    return "  if (!In.copyArray(" + Arg + ".data(), " + Arg + ".size()))\n";
  return "  if (!In.copyArray(" + Arg + ", size_t(Arg" +
         M.Params[P.LengthParam].Name + ")))\n";
}

std::string startRequest(const std::string &Meta, const std::string &Key,
                         const std::string &Page, bool Bulk) {
  return "  " + Page + ".MethodId = " + Meta + "::Methods::" + Key + ";\n" +
         "  " + Page + ".Fingerprint = " + Meta + "::Fingerprint;\n" +
         "  k42::PPCWriter Out(" + Page + (Bulk ? ", Bulk.Request" : "") +
         ");\n";
}

std::string finishMessage() {
  return "  if (k42::Status S = Out.finish(); !S)\n    return S;\n";
}

std::string readReply(bool Bulk) {
  return std::string("  k42::PPCReader In(Buffers.Reply") +
         (Bulk ? ", Bulk.Reply" : "") + ");\n";
}

} // namespace stubc
