//===- stubc/lib/Emit/CppEmitter.cpp - Model to C++ -----------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Writes Meta<Name>, Stub<Name>, X<Name> and State<Class>. The wire layout
/// both sides agree on (stubc/docs/generated-code.md):
///
///   request: every in and inout parameter in declaration order, plus the
///            element count of each out span (its capacity);
///   reply:   first the out and inout spans and raw buffers in declaration
///            order (the implementation fills them in place), then every
///            other out and inout parameter in declaration order.
///
/// Scalars and trivially copyable values are copied at their alignment (at
/// most 8); strings and arrays are a 32-bit element count followed by the
/// elements at an 8-byte boundary; bool is one byte, enums their underlying
/// integer.
///
//===----------------------------------------------------------------------===//

#include "Emit/HandlerStub.h"
#include "Emit/Spelling.h"
#include "stubc/Emitter.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace stubc {
namespace {

/// Opens the interface's namespaces; closes them when done.
class NamespaceScope {
public:
  NamespaceScope(llvm::raw_ostream &OS, const std::vector<std::string> &Names)
      : OS(OS), Names(Names) {
    if (Names.empty())
      return;
    OS << "namespace ";
    for (size_t I = 0; I < Names.size(); ++I)
      OS << (I ? "::" : "") << Names[I];
    OS << " {\n\n";
  }
  ~NamespaceScope() {
    if (Names.empty())
      return;
    OS << "} // namespace ";
    for (size_t I = 0; I < Names.size(); ++I)
      OS << (I ? "::" : "") << Names[I];
    OS << "\n\n";
  }

private:
  llvm::raw_ostream &OS;
  const std::vector<std::string> &Names;
};

std::string stubParams(const MethodModel &M, bool Definition) {
  std::string Text;
  for (const ParamModel &P : M.Params) {
    if (P.Kind == ParamKind::Caller)
      continue;
    if (!Text.empty())
      Text += ", ";
    Text += declare(P.Type, Definition ? "Arg" + P.Name : P.Name);
  }
  return Text;
}

const char *const BadMessage =
    "return k42::Status::error(k42::errc::BadMessage);";

//===----------------------------------------------------------------------===//
// The header.
//===----------------------------------------------------------------------===//

void emitMeta(llvm::raw_ostream &OS, const InterfaceModel &I) {
  OS << "/// " << I.QualifiedName
     << " as both sides of a call see it: its name, version and\n"
     << "/// fingerprint, its rights bits and its method numbers.\n";
  OS << "struct Meta" << I.Name << " {\n";
  OS << "  static constexpr const char *Name = \"" << I.QualifiedName
     << "\";\n";
  OS << "  static constexpr uint32_t Version = " << I.Version << ";\n";
  OS << "  static constexpr uint64_t Fingerprint = " << hex64(I.Fingerprint)
     << "ull;\n\n";
  OS << "  /// The rights a handle can carry; give them with giveAccess.\n";
  OS << "  struct Rights {\n";
  uint64_t All = 0;
  for (const RightModel &R : I.Rights) {
    OS << "    static constexpr k42::RightsMask " << R.Name
       << " = k42::RightsMask(1) << " << R.Bit << ";\n";
    All |= uint64_t(1) << R.Bit;
  }
  OS << "    static constexpr k42::RightsMask all = " << hex64(All)
     << "ull;\n";
  OS << "  };\n\n";
  OS << "  /// The stable method numbers carried in every request.\n";
  OS << "  struct Methods {\n";
  for (const MethodModel &M : I.Methods)
    OS << "    static constexpr uint32_t " << methodKey(I, M) << " = "
       << hex32(M.Id) << "u;\n";
  OS << "  };\n\n";
  if (!I.Methods.empty()) {
    OS << "  static constexpr k42::MethodInfo MethodTable[] = {\n";
    for (const MethodModel &M : I.Methods)
      OS << "      {" << hex32(M.Id) << "u, \"" << M.Name << "\", "
         << hex64(M.RequiredRights) << "ull, "
         << (M.OneWay ? "true" : "false") << "},\n";
    OS << "  };\n";
  }
  OS << "  static constexpr uint64_t CompatibleTable[] = {\n";
  for (uint64_t F : I.Compatible)
    OS << "      " << hex64(F) << "ull,\n";
  OS << "  };\n";
  if (!I.Rights.empty()) {
    OS << "  static constexpr const char *RightNameTable[] = {\n";
    for (const RightModel &R : I.Rights)
      OS << "      \"" << R.Name << "\",\n";
    OS << "  };\n";
  }
  OS << "  /// The same, for code that handles any interface.\n";
  OS << "  static constexpr k42::InterfaceInfo Info = {\n"
     << "      Name, Version, Fingerprint,\n      "
     << (I.Methods.empty() ? "nullptr" : "MethodTable") << ", "
     << I.Methods.size() << ",\n"
     << "      CompatibleTable, " << I.Compatible.size() << ",\n      "
     << (I.Rights.empty() ? "nullptr" : "RightNameTable") << ", "
     << I.Rights.size() << "};\n";
  OS << "};\n\n";
}

void emitStubDecl(llvm::raw_ostream &OS, const InterfaceModel &I) {
  OS << "/// The client side of " << I.QualifiedName
     << ": each call marshals its arguments\n"
     << "/// into a PPC page, calls through the transport and unmarshals the "
        "reply.\n";
  OS << "class Stub" << I.Name << " final : public k42::StubObject {\n";
  OS << "public:\n";
  OS << "  /// A stub for \\p Handle, once the server confirms the object "
        "behind it\n"
     << "  /// speaks " << I.QualifiedName << " (or an interface derived "
     << "from it).\n";
  OS << "  static k42::Result<Stub" << I.Name
     << "> bind(k42::Transport &Via, k42::ObjectHandle Handle);\n\n";
  for (const MethodModel &M : I.Methods) {
    if (M.OneWay)
      OS << "  /// One-way: returns once the request is delivered.\n";
    OS << "  k42::Status " << M.Name << "(" << stubParams(M, false) << ")"
       << (M.Const ? " const" : "") << ";\n";
  }
  OS << "\nprivate:\n";
  OS << "  Stub" << I.Name
     << "(k42::Transport &Via, k42::ObjectHandle Handle)\n"
     << "      : k42::StubObject(Via, Handle) {}\n";
  OS << "};\n\n";
}

void emitXDecl(llvm::raw_ostream &OS, const InterfaceModel &I) {
  OS << "/// The server side of " << I.QualifiedName
     << ": checks the caller's rights, unmarshals\n"
     << "/// the request, calls the implementation and marshals the reply.\n";
  OS << "class X" << I.Name << " final : public k42::XObject {\n";
  OS << "public:\n";
  OS << "  explicit X" << I.Name << "(" << I.QualifiedName
     << " &Impl) : Impl(&Impl) {}\n\n";
  OS << "  void dispatch(const k42::CallContext &Context, const k42::PPCPage "
        "&Request,\n"
     << "                k42::PPCPage &Reply) override;\n";
  OS << "  const k42::InterfaceInfo &interfaceInfo() const override {\n"
     << "    return Meta" << I.Name << "::Info;\n  }\n\n";
  OS << "  /// The implementation calls go to.\n";
  OS << "  " << I.QualifiedName << " &implementation() const { return *Impl; }\n";
  OS << "  /// Points the object at another implementation (hot swap).\n";
  OS << "  void setImplementation(" << I.QualifiedName
     << " &NewImpl) { Impl = &NewImpl; }\n\n";
  OS << "private:\n";
  for (const MethodModel &M : I.Methods)
    OS << "  k42::Status invoke_" << methodKey(I, M)
       << "(const k42::CallContext &Context,\n"
       << "      const k42::PPCPage &Request, k42::PPCPage &Reply);\n";
  OS << "\n  " << I.QualifiedName << " *Impl;\n";
  OS << "};\n\n";
}

/// A class implementing the interface by calling a clustered object, so
/// X<Name> can serve one: each call goes to the rep of the caller's
/// processor (k42::currentProcessor()).
void emitClusteredDecl(llvm::raw_ostream &OS, const InterfaceModel &I) {
  std::string C = "Clustered" + I.Name;
  OS << "/// " << I.QualifiedName
     << " implemented by a clustered object: each call goes to the\n"
     << "/// rep of the caller's processor. Serve it with X" << I.Name
     << "(Clustered" << I.Name << ").\n";
  OS << "class " << C << " final : public " << I.QualifiedName << " {\n";
  OS << "public:\n";
  OS << "  explicit " << C << "(k42::cobj::Ref<" << I.QualifiedName
     << "> Object) : Object(Object) {}\n\n";
  for (const MethodModel &M : I.Methods) {
    std::string Params, Args;
    for (const ParamModel &P : M.Params) {
      if (!Params.empty()) {
        Params += ", ";
        Args += ", ";
      }
      // Spelled Arg<Name>, as in stub definitions, so no parameter hides
      // the member. A declarator the name goes inside of (an array
      // reference) is spelled through type_identity_t, which puts any type
      // before it.
      std::string Name = "Arg" + P.Name;
      if (P.Type.find_first_of("([") != std::string::npos)
        Params += "std::type_identity_t<" + P.Type + "> " + Name;
      else if (!P.Type.empty() && (P.Type.back() == '&' || P.Type.back() == '*'))
        Params += P.Type + Name;
      else
        Params += P.Type + " " + Name;
      Args += Name;
    }
    OS << "  " << (M.OneWay ? "void " : "k42::Status ") << M.Name << "("
       << Params << ")" << (M.Const ? " const" : "") << " override {\n"
       << "    " << (M.OneWay ? "" : "return ") << "Object->" << M.Name << "("
       << Args << ");\n  }\n";
  }
  OS << "\n  /// The clustered object calls go to.\n"
     << "  k42::cobj::Ref<" << I.QualifiedName
     << "> object() const { return Object; }\n\n";
  OS << "private:\n  k42::cobj::Ref<" << I.QualifiedName << "> Object;\n";
  OS << "};\n\n";
}

void emitStateDecl(llvm::raw_ostream &OS, const StateClassModel &S) {
  OS << "/// Hot-swap state transfer for " << S.QualifiedName
     << ": its K42_STATE fields,\n"
     << "/// behind a fingerprint of the field list.\n";
  OS << "struct State" << S.Name << " {\n";
  // The fingerprint describes the fields (types and names, in order), not
  // the class: a swap moves state between two implementations, and any
  // two with the same state fields can take each other's.
  std::string Signature;
  for (const StateFieldModel &F : S.Fields)
    Signature += F.Type + " " + F.Name + ";";
  uint64_t Hash = 14695981039346656037ull;
  for (unsigned char C : "{" + Signature + "}") {
    Hash ^= C;
    Hash *= 1099511628211ull;
  }
  OS << "  static constexpr uint64_t Fingerprint = " << hex64(Hash)
     << "ull;\n\n";
  OS << "  /// Appends the state of \\p Object to \\p Out.\n";
  OS << "  static k42::Status exportState(const " << S.QualifiedName
     << " &Object,\n                                k42::StateBuffer &Out);\n";
  OS << "  /// Reads state written by exportState into \\p Object: all of it, "
        "or\n"
     << "  /// (on a mismatch or a short buffer) none of it.\n";
  OS << "  static k42::Status importState(" << S.QualifiedName
     << " &Object,\n                                k42::StateBuffer &In);\n";
  OS << "};\n\n";
}

//===----------------------------------------------------------------------===//
// The source: stubs.
//===----------------------------------------------------------------------===//

/// Marshals the value of parameter \p P (held in \p A) with the writer
/// `Out`: the one encoding both the stub's request and the X object's reply
/// use for scalars, values, handles, strings and vectors.
void emitPut(llvm::raw_ostream &OS, const ParamModel &P, const std::string &A) {
  switch (P.Kind) {
  case ParamKind::Scalar:
  case ParamKind::Pod:
  case ParamKind::Handle:
    OS << putValue(P, A);
    return;
  case ParamKind::String:
    OS << "  Out.putArray(" << A << ".data(), " << A << ".size(), 1);\n";
    return;
  case ParamKind::Vector:
  case ParamKind::Span:
    OS << "  Out.putArray(" << A << ".data(), " << A << ".size(), sizeof("
       << P.ElementType << "));\n";
    return;
  case ParamKind::RawBuffer:
  case ParamKind::Caller:
    return;
  }
}

void emitStubRequest(llvm::raw_ostream &OS, const MethodModel &M) {
  for (const ParamModel &P : M.Params) {
    std::string A = "Arg" + P.Name;
    if (P.Kind == ParamKind::Caller)
      continue;
    if (P.Dir != Direction::Out) {
      if (P.Kind == ParamKind::RawBuffer)
        OS << "  Out.putArray(" << A << ", size_t(Arg"
           << M.Params[P.LengthParam].Name << "), sizeof(" << P.ElementType
           << "));\n";
      else
        emitPut(OS, P, A);
    } else if (P.Kind == ParamKind::Span) {
      // An out span sends only its capacity.
      OS << "  Out.putCount(" << A << ".size(), sizeof(" << P.ElementType
         << "));\n";
    }
  }
}

void emitStubReply(llvm::raw_ostream &OS, const MethodModel &M) {
  // Reserved buffers first, then the rest: the layout X<Name> writes.
  for (const ParamModel &P : M.Params) {
    if (!isReserved(P))
      continue;
    OS << copyReserved(M, P);
    OS << "    " << BadMessage << "\n";
  }
  for (const ParamModel &P : M.Params) {
    if (P.Dir == Direction::In || isReserved(P) ||
        P.Kind == ParamKind::Caller)
      continue;
    std::string A = "Arg" + P.Name;
    switch (P.Kind) {
    case ParamKind::Scalar:
    case ParamKind::Pod:
    case ParamKind::Handle:
      OS << getValue(P, A);
      break;
    case ParamKind::String:
      OS << "  if (!In.getString(" << A << "))\n";
      break;
    case ParamKind::Vector:
      OS << "  if (!In.getVector(" << A << "))\n";
      break;
    default:
      continue;
    }
    OS << "    " << BadMessage << "\n";
  }
}

void emitStubDefs(llvm::raw_ostream &OS, const InterfaceModel &I) {
  std::string Stub = "Stub" + I.Name, Meta = "Meta" + I.Name;
  OS << "k42::Result<" << Stub << "> " << Stub
     << "::bind(k42::Transport &Via,\n"
     << "    k42::ObjectHandle Handle) {\n"
     << "  if (k42::Status S = Via.bind(Handle, " << Meta
     << "::Fingerprint); !S)\n"
     << "    return S;\n"
     << "  return " << Stub << "(Via, Handle);\n"
     << "}\n\n";
  for (const MethodModel &M : I.Methods) {
    OS << "k42::Status " << Stub << "::" << M.Name << "("
       << stubParams(M, true) << ")" << (M.Const ? " const" : "") << " {\n";
    bool Bulk = usesBulk(M);
    if (M.OneWay) {
      OS << "  k42::PPCPage &Request = Via->buffers().Request;\n";
    } else {
      OS << "  k42::CallBuffers &Buffers = Via->buffers();\n"
         << "  k42::PPCPage &Request = Buffers.Request;\n";
      if (Bulk)
        OS << "  k42::BulkWindow Bulk = Via->bulk(Buffers);\n";
    }
    OS << startRequest(Meta, methodKey(I, M), "Request", Bulk);
    emitStubRequest(OS, M);
    OS << finishMessage();
    if (M.OneWay) {
      OS << "  return Via->send(Handle, Request);\n}\n\n";
      continue;
    }
    OS << "  k42::Status Result = Via->call(Handle, Buffers);\n"
       << "  if (!Result)\n    return Result;\n";
    bool HasReply = false;
    for (const ParamModel &P : M.Params)
      HasReply |= P.Dir != Direction::In && P.Kind != ParamKind::Caller;
    OS << readReply(Bulk);
    if (HasReply)
      emitStubReply(OS, M);
    OS << "  if (!In.atEnd())\n    " << BadMessage << "\n"
       << "  return Result;\n}\n\n";
  }
}

//===----------------------------------------------------------------------===//
// The source: interface objects.
//===----------------------------------------------------------------------===//

/// Declares and reads one parameter's request part in X<Name>.
void emitXRead(llvm::raw_ostream &OS, const ParamModel &P) {
  std::string A = "Arg" + P.Name;
  auto Check = [&](const std::string &Call) {
    OS << "  if (!In." << Call << ")\n    " << BadMessage << "\n";
  };
  switch (P.Kind) {
  case ParamKind::Caller:
    return;
  case ParamKind::Scalar:
  case ParamKind::Pod:
  case ParamKind::Handle:
    OS << "  " << declare(P.ValueType, A) << "{};\n";
    if (P.Dir == Direction::Out)
      return;
    if (P.UnderlyingType == "bool")
      Check("getBool(" + A + ")");
    else if (!P.UnderlyingType.empty())
      Check("getEnum(" + A + ")");
    else
      Check("get(" + A + ")");
    return;
  case ParamKind::String:
    if (P.ValueType.find("string_view") != std::string::npos) {
      OS << "  std::string_view " << A << ";\n";
      Check("getStringView(" + A + ")");
    } else {
      OS << "  std::string " << A << ";\n";
      if (P.Dir != Direction::Out)
        Check("getString(" + A + ")");
    }
    return;
  case ParamKind::Vector:
    OS << "  std::vector<" << P.ElementType << "> " << A << ";\n";
    if (P.Dir != Direction::Out)
      Check("getVector(" + A + ")");
    return;
  case ParamKind::Span:
  case ParamKind::RawBuffer:
    if (P.Dir == Direction::Out && P.Kind == ParamKind::Span) {
      OS << "  uint32_t " << A << "Count = 0;\n";
      Check("getCount(" + A + "Count, sizeof(" + P.ElementType + "))");
      return;
    }
    if (P.Dir == Direction::Out)
      return; // The count is another parameter.
    OS << "  std::span<const " << P.ElementType << "> " << A
       << (P.Dir == Direction::In ? "" : "In") << ";\n";
    Check("getSpan(" + A + (P.Dir == Direction::In ? "" : "In") + ")");
    return;
  }
}

void emitXInvoke(llvm::raw_ostream &OS, const InterfaceModel &I,
                 const MethodModel &M) {
  std::string X = "X" + I.Name;
  OS << "k42::Status " << X << "::invoke_" << methodKey(I, M)
     << "(const k42::CallContext &Context,\n"
     << "    const k42::PPCPage &Request, k42::PPCPage &Reply) {\n";
  bool Bulk = usesBulk(M);
  bool UsesContext = M.RequiredRights != 0 || Bulk;
  for (const ParamModel &P : M.Params)
    UsesContext |= P.Kind == ParamKind::Caller;
  if (!UsesContext)
    OS << "  (void)Context;\n";
  if (M.RequiredRights) {
    OS << "  // Rights first: a caller without them learns nothing more.\n"
       << "  constexpr k42::RightsMask Required = " << hex64(M.RequiredRights)
       << "ull;\n"
       << "  if ((Context.Rights & Required) != Required)\n"
       << "    return k42::Status::error(k42::errc::PermissionDenied);\n";
  }
  OS << "  k42::PPCReader In(Request"
     << (Bulk ? ", Context.Bulk.Request" : "") << ");\n";
  for (const ParamModel &P : M.Params)
    emitXRead(OS, P);
  OS << "  if (!In.atEnd())\n    " << BadMessage << "\n";
  // Raw buffers: the count in the page must be the count parameter.
  for (const ParamModel &P : M.Params)
    if (P.Kind == ParamKind::RawBuffer && P.Dir != Direction::Out)
      OS << "  if (!std::cmp_equal(Arg" << M.Params[P.LengthParam].Name
         << ", Arg" << P.Name << (P.Dir == Direction::In ? "" : "In")
         << ".size()))\n    " << BadMessage << "\n";

  bool HasReply = false;
  for (const ParamModel &P : M.Params)
    HasReply |= P.Dir != Direction::In && P.Kind != ParamKind::Caller;
  if (HasReply && !M.OneWay)
    OS << "  k42::PPCWriter Out(Reply" << (Bulk ? ", Context.Bulk.Reply" : "")
       << ");\n";
  else
    OS << "  (void)Reply;\n";
  // Out and inout buffers live in the reply page, filled in place.
  for (const ParamModel &P : M.Params) {
    if (!isReserved(P))
      continue;
    std::string A = "Arg" + P.Name;
    std::string Count;
    if (P.Kind == ParamKind::Span)
      Count = P.Dir == Direction::Out ? A + "Count" : A + "In.size()";
    else if (P.Dir == Direction::Out)
      Count = "Arg" + M.Params[P.LengthParam].Name;
    else
      Count = A + "In.size()";
    if (P.Kind == ParamKind::RawBuffer && P.Dir == Direction::Out)
      OS << "  if (!std::in_range<uint32_t>(" << Count << "))\n"
         << "    return k42::Status::error(k42::errc::TooBig);\n";
    OS << "  " << P.ElementType << " *" << A << "Data = Out.reserveArray<"
       << P.ElementType << ">(size_t(" << Count << "));\n"
       << "  if (!" << A << "Data)\n"
       << "    return k42::Status::error(k42::errc::TooBig);\n";
    if (P.Dir == Direction::Out)
      OS << "  std::memset(static_cast<void *>(" << A << "Data), 0, size_t("
         << Count << ") * sizeof(" << P.ElementType << "));\n";
    else
      OS << "  if (!" << A << "In.empty())\n"
         << "    std::memcpy(static_cast<void *>(" << A << "Data), " << A
         << "In.data(), " << A << "In.size_bytes());\n";
    if (P.Kind == ParamKind::Span)
      OS << "  std::span<" << P.ElementType << "> " << A << "(" << A
         << "Data, size_t(" << Count << "));\n";
  }

  // The call.
  std::string Args;
  for (const ParamModel &P : M.Params) {
    if (!Args.empty())
      Args += ", ";
    if (P.Kind == ParamKind::Caller)
      Args += "Context.Caller";
    else if (P.Kind == ParamKind::RawBuffer)
      Args += "Arg" + P.Name + (P.Dir == Direction::In ? ".data()" : "Data");
    else
      Args += "Arg" + P.Name;
  }
  if (M.OneWay) {
    OS << "  Impl->" << M.Name << "(" << Args << ");\n"
       << "  return k42::Status::ok();\n}\n\n";
    return;
  }
  OS << "  k42::Status Result = Impl->" << M.Name << "(" << Args << ");\n";
  if (!HasReply) {
    OS << "  return Result;\n}\n\n";
    return;
  }
  OS << "  if (!Result)\n    return Result;\n";
  for (const ParamModel &P : M.Params)
    if (P.Dir != Direction::In && !isReserved(P) &&
        P.Kind != ParamKind::Caller)
      emitPut(OS, P, "Arg" + P.Name);
  OS << finishMessage() << "  return Result;\n}\n\n";
}

void emitXDefs(llvm::raw_ostream &OS, const InterfaceModel &I) {
  std::string X = "X" + I.Name, Meta = "Meta" + I.Name;
  OS << "void " << X
     << "::dispatch(const k42::CallContext &Context,\n"
     << "    const k42::PPCPage &Request, k42::PPCPage &Reply) {\n"
     << "  Reply.Length = 0;\n"
     << "  Reply.MethodId = Request.MethodId;\n"
     << "  Reply.Fingerprint = " << Meta << "::Fingerprint;\n"
     << "  k42::Status Result = k42::Status::error(k42::errc::NoSuchMethod);\n"
     << "  if (Request.Fingerprint != " << Meta << "::Fingerprint &&\n"
     << "      !" << Meta << "::Info.isCompatibleWith(Request.Fingerprint)) {\n"
     << "    Result = k42::Status::error(k42::errc::IncompatibleInterface);\n"
     << "  } else {\n"
     << "    switch (Request.MethodId) {\n";
  for (const MethodModel &M : I.Methods) {
    OS << "    case " << Meta << "::Methods::" << methodKey(I, M) << ":\n";
    // K42_TRACE: one event as the call starts and one as it returns, both
    // named after the method, so the dump can pair them.
    std::string Traced = I.Name + "::" + M.Name;
    if (I.Trace)
      OS << "      k42::trace::event(k42::trace::Major::Ppc,\n"
         << "          uint16_t(k42::trace::PpcMinor::Call), \"" << Traced
         << "\");\n";
    OS << "      Result = invoke_" << methodKey(I, M)
       << "(Context, Request, Reply);\n";
    if (I.Trace)
      OS << "      k42::trace::event(k42::trace::Major::Ppc,\n"
         << "          uint16_t(k42::trace::PpcMinor::Return), \"" << Traced
         << "\");\n";
    OS << "      break;\n";
  }
  OS << "    default:\n      break;\n    }\n  }\n"
     << "  if (!Result)\n    Reply.Length = 0;\n"
     << "  Reply.Status = Result.raw();\n}\n\n";
  for (const MethodModel &M : I.Methods)
    emitXInvoke(OS, I, M);
}

void emitStateDefs(llvm::raw_ostream &OS, const StateClassModel &S) {
  std::string State = "State" + S.Name;
  OS << "k42::Status " << State << "::exportState(const " << S.QualifiedName
     << " &Object,\n    k42::StateBuffer &Out) {\n";
  OS << "  Out.put(Fingerprint);\n";
  for (const StateFieldModel &F : S.Fields) {
    std::string Field = "Object." + F.Name;
    switch (F.Kind) {
    case StateKind::Trivial:
      OS << "  Out.append(&" << Field << ", sizeof(" << Field << "));\n";
      break;
    case StateKind::Atomic:
      OS << "  Out.put(" << Field << ".load());\n";
      break;
    case StateKind::String:
      OS << "  Out.putString(" << Field << ");\n";
      break;
    case StateKind::Vector:
      OS << "  Out.putVector(" << Field << ");\n";
      break;
    }
  }
  OS << "  return k42::Status::ok();\n}\n\n";

  OS << "k42::Status " << State << "::importState(" << S.QualifiedName
     << " &Object,\n    k42::StateBuffer &In) {\n";
  OS << "  uint64_t Written = 0;\n"
     << "  if (k42::Status S = In.get(Written); !S)\n    return S;\n"
     << "  if (Written != Fingerprint)\n"
     << "    return k42::Status::error(k42::errc::IncompatibleInterface);\n";
  // Read everything first, so a short buffer changes nothing.
  for (const StateFieldModel &F : S.Fields) {
    std::string Local = "New" + F.Name;
    switch (F.Kind) {
    case StateKind::Trivial:
      OS << "  alignas(" << F.Type << ") std::byte " << Local << "[sizeof("
         << F.Type << ")];\n"
         << "  if (k42::Status S = In.read(" << Local << ", sizeof(" << Local
         << ")); !S)\n    return S;\n";
      break;
    case StateKind::Atomic:
      OS << "  " << F.ElementType << " " << Local << "{};\n"
         << "  if (k42::Status S = In.get(" << Local << "); !S)\n"
         << "    return S;\n";
      break;
    case StateKind::String:
      OS << "  std::string " << Local << ";\n"
         << "  if (k42::Status S = In.getString(" << Local << "); !S)\n"
         << "    return S;\n";
      break;
    case StateKind::Vector:
      OS << "  std::vector<" << F.ElementType << "> " << Local << ";\n"
         << "  if (k42::Status S = In.getVector(" << Local << "); !S)\n"
         << "    return S;\n";
      break;
    }
  }
  for (const StateFieldModel &F : S.Fields) {
    std::string Field = "Object." + F.Name, Local = "New" + F.Name;
    switch (F.Kind) {
    case StateKind::Trivial:
      OS << "  std::memcpy(static_cast<void *>(&" << Field << "), " << Local
         << ", sizeof(" << Local << "));\n";
      break;
    case StateKind::Atomic:
      OS << "  " << Field << ".store(" << Local << ");\n";
      break;
    case StateKind::String:
    case StateKind::Vector:
      OS << "  " << Field << " = std::move(" << Local << ");\n";
      break;
    }
  }
  OS << "  return k42::Status::ok();\n}\n\n";
}

template <typename T, typename EmitFn>
void emitGrouped(llvm::raw_ostream &OS, const std::vector<T> &Items,
                 EmitFn Emit) {
  // Consecutive items in the same namespace share one namespace block.
  size_t I = 0;
  while (I < Items.size()) {
    size_t J = I;
    while (J < Items.size() && Items[J].Namespaces == Items[I].Namespaces)
      ++J;
    NamespaceScope Scope(OS, Items[I].Namespaces);
    for (size_t K = I; K < J; ++K)
      Emit(OS, Items[K]);
    I = J;
  }
}

std::string banner(const FileModel &Model, llvm::StringRef What) {
  return "// " + What.str() + " generated by stubc from " + Model.IncludeName +
         ".\n// Do not edit: change the interface header and rebuild.\n\n";
}

} // namespace

std::string emitHeader(const FileModel &Model, const EmitOptions &Options) {
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  OS << banner(Model, "Stubs, interface objects and metadata");
  OS << "#pragma once\n\n";
  OS << "#include \"" << Model.IncludeName << "\"\n\n";
  if (!Model.Interfaces.empty())
    OS << "#include <k42/cobj/Ref.h>\n"
       << "#include <k42/ipc/CallContext.h>\n"
       << "#include <k42/ipc/InterfaceInfo.h>\n"
       << "#include <k42/ipc/PPCPage.h>\n"
       << "#include <k42/ipc/Result.h>\n"
       << "#include <k42/ipc/StubObject.h>\n"
       << "#include <k42/ipc/XObject.h>\n";
  if (!Model.Interfaces.empty() && Options.HandlerClient)
    OS << "#include <k42/ipc/LeasedTransport.h>\n"
       << "#include <k42/ipc/PPCReader.h>\n"
       << "#include <k42/ipc/PPCWriter.h>\n";
  if (!Model.StateClasses.empty())
    OS << "#include <k42/cobj/StateBuffer.h>\n";
  OS << "#include <k42/ipc/Status.h>\n\n"
     << (Options.HandlerClient ? "#include <cstddef>\n" : "")
     << "#include <cstdint>\n#include <span>\n#include <string>\n"
     << "#include <string_view>\n#include <type_traits>\n#include <vector>\n\n";
  emitGrouped<InterfaceModel>(
      OS, Model.Interfaces,
      [&](llvm::raw_ostream &OS, const InterfaceModel &I) {
        emitMeta(OS, I);
        if (Options.StandardClient)
          emitStubDecl(OS, I);
        if (Options.HandlerClient)
          emitHandlerStub(OS, I);
        emitXDecl(OS, I);
        emitClusteredDecl(OS, I);
      });
  emitGrouped<StateClassModel>(OS, Model.StateClasses, &emitStateDecl);
  OS.flush();
  // No trailing blank line.
  while (Text.size() > 1 && Text[Text.size() - 1] == '\n' &&
         Text[Text.size() - 2] == '\n')
    Text.pop_back();
  return Text;
}

std::string emitSource(const FileModel &Model, llvm::StringRef GeneratedHeader,
                       const EmitOptions &Options) {
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  OS << banner(Model, "Marshalling code");
  OS << "#include \"" << GeneratedHeader << "\"\n\n";
  OS << "#include <k42/ipc/PPCReader.h>\n#include <k42/ipc/PPCWriter.h>\n";
  // Only interfaces that asked for tracing include the trace API, so the
  // code of every other interface stays as it was.
  for (const InterfaceModel &I : Model.Interfaces)
    if (I.Trace) {
      OS << "#include <k42/trace/Trace.h>\n";
      break;
    }
  OS << "\n#include <cstddef>\n#include <cstring>\n#include <utility>\n\n";
  emitGrouped<InterfaceModel>(
      OS, Model.Interfaces,
      [&](llvm::raw_ostream &OS, const InterfaceModel &I) {
        if (Options.StandardClient)
          emitStubDefs(OS, I);
        emitXDefs(OS, I);
      });
  emitGrouped<StateClassModel>(OS, Model.StateClasses, &emitStateDefs);
  OS.flush();
  while (Text.size() > 1 && Text[Text.size() - 1] == '\n' &&
         Text[Text.size() - 2] == '\n')
    Text.pop_back();
  return Text;
}

} // namespace stubc
