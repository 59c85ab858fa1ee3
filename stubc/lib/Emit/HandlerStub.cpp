//===- stubc/lib/Emit/HandlerStub.cpp - Allocation-free stubs -------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Writes HandlerStub<Name> (HandlerStub.h). The wire layout is Stub<Name>'s
/// (CppEmitter.cpp); the request and reply are written and read in the same
/// order with the same PPCWriter and PPCReader calls, except that strings
/// and vectors come from views and go to the caller's buffers.
///
//===----------------------------------------------------------------------===//

#include "Emit/HandlerStub.h"
#include "Emit/Spelling.h"

#include <string>

namespace stubc {
namespace {

const char *const BadMessage =
    "return k42::Status::error(k42::errc::BadMessage);";

/// Out and inout strings and vectors: a buffer and its length.
bool hasLength(const ParamModel &P) {
  return (P.Kind == ParamKind::String || P.Kind == ParamKind::Vector) &&
         P.Dir != Direction::In;
}

std::string elementOf(const ParamModel &P) {
  return P.Kind == ParamKind::String ? "char" : P.ElementType;
}

std::string elementSize(const ParamModel &P) {
  return P.Kind == ParamKind::String ? "1" : "sizeof(" + P.ElementType + ")";
}

/// The name of \p P's length parameter in the declaration: <Name>Length,
/// or Length<Name> if another parameter is called that.
std::string lengthName(const MethodModel &M, const ParamModel &P) {
  std::string Name = P.Name + "Length";
  for (const ParamModel &Other : M.Params)
    if (Other.Name == Name)
      return "Length" + P.Name;
  return Name;
}

/// The parameter list: in the class with the interface's names, in the
/// definitions as Arg<Name> and Len<Name> (no clash with the stub's own
/// names, whatever the interface calls its parameters).
std::string params(const MethodModel &M, bool Definition) {
  std::string Text;
  for (const ParamModel &P : M.Params) {
    if (P.Kind == ParamKind::Caller)
      continue;
    if (!Text.empty())
      Text += ", ";
    // A parameter may not shadow the template parameter.
    std::string Name =
        Definition || P.Name == "TransportT" ? "Arg" + P.Name : P.Name;
    if (hasLength(P))
      Text += "std::span<" + elementOf(P) + "> " + Name + ", size_t &" +
              (Definition ? "Len" + P.Name : lengthName(M, P));
    else if (P.Kind == ParamKind::String)
      Text += "std::string_view " + Name;
    else if (P.Kind == ParamKind::Vector)
      Text += "std::span<const " + P.ElementType + "> " + Name;
    else
      Text += declare(P.Type, Name);
  }
  return Text;
}

void emitRequest(llvm::raw_ostream &OS, const MethodModel &M) {
  for (const ParamModel &P : M.Params) {
    std::string A = "Arg" + P.Name;
    if (P.Kind == ParamKind::Caller)
      continue;
    if (P.Dir == Direction::Out) {
      // An out span sends only its capacity; the rest send nothing.
      if (P.Kind == ParamKind::Span)
        OS << "  Out.putCount(" << A << ".size(), sizeof(" << P.ElementType
           << "));\n";
      continue;
    }
    switch (P.Kind) {
    case ParamKind::Scalar:
    case ParamKind::Pod:
    case ParamKind::Handle:
      OS << putValue(P, A);
      break;
    case ParamKind::String:
    case ParamKind::Vector:
    case ParamKind::Span:
      OS << "  Out.putArray(" << A << ".data(), "
         << (hasLength(P) ? "Len" + P.Name : A + ".size()") << ", "
         << elementSize(P) << ");\n";
      break;
    case ParamKind::RawBuffer:
      OS << "  Out.putArray(" << A << ", size_t(Arg"
         << M.Params[P.LengthParam].Name << "), sizeof(" << P.ElementType
         << "));\n";
      break;
    case ParamKind::Caller:
      break;
    }
  }
}

void emitReply(llvm::raw_ostream &OS, const MethodModel &M) {
  // Reserved buffers first, then the rest: the layout X<Name> writes.
  for (const ParamModel &P : M.Params) {
    if (!isReserved(P))
      continue;
    OS << copyReserved(M, P);
    OS << "    " << BadMessage << "\n";
  }
  for (const ParamModel &P : M.Params) {
    if (P.Dir == Direction::In || isReserved(P) || P.Kind == ParamKind::Caller)
      continue;
    std::string A = "Arg" + P.Name;
    switch (P.Kind) {
    case ParamKind::Scalar:
    case ParamKind::Pod:
    case ParamKind::Handle:
      OS << getValue(P, A);
      break;
    case ParamKind::String:
    case ParamKind::Vector:
      // Into the caller's buffer, or ReplyTooBig with nothing copied.
      OS << "  if (k42::Status S = In.copyArrayUpTo(" << A << ".data(), " << A
         << ".size(), Len" << P.Name << "); !S)\n"
         << "    return S;\n";
      continue;
    default:
      continue;
    }
    OS << "    " << BadMessage << "\n";
  }
}

void emitMethod(llvm::raw_ostream &OS, const InterfaceModel &I,
                const MethodModel &M) {
  std::string Stub = "HandlerStub" + I.Name, Meta = "Meta" + I.Name;
  OS << "template <k42::LeasedTransport TransportT>\n"
     << "k42::Status " << Stub << "<TransportT>::" << M.Name << "("
     << params(M, true) << ")" << (M.Const ? " const" : "") << " {\n";
  // An inout buffer's length says how much of it is the value sent.
  for (const ParamModel &P : M.Params)
    if (hasLength(P) && P.Dir == Direction::InOut)
      OS << "  if (Len" << P.Name << " > Arg" << P.Name << ".size())\n"
         << "    return k42::Status::error(EINVAL);\n";
  bool Bulk = usesBulk(M);
  OS << "  typename TransportT::Lease Slot(Via);\n"
     << "  if (!Slot.held())\n"
     << "    return k42::Status::error(k42::errc::NoFreeSlot);\n"
     << "  k42::CallBuffers &Buffers = Slot.buffers();\n";
  if (Bulk)
    OS << "  k42::BulkWindow Bulk = Slot.bulk();\n";
  OS << startRequest(Meta, methodKey(I, M), "Buffers.Request", Bulk);
  emitRequest(OS, M);
  OS << finishMessage();
  if (M.OneWay) {
    OS << "  return Slot.send(Handle);\n}\n\n";
    return;
  }
  OS << "  k42::Status Result = Slot.call(Handle);\n"
     << "  if (!Result)\n    return Result;\n"
     << readReply(Bulk);
  emitReply(OS, M);
  OS << "  if (!In.atEnd())\n    " << BadMessage << "\n"
     << "  return Result;\n}\n\n";
}

} // namespace

void emitHandlerStub(llvm::raw_ostream &OS, const InterfaceModel &I) {
  std::string Stub = "HandlerStub" + I.Name;
  OS << "/// The client side of " << I.QualifiedName
     << " for code that may not allocate\n"
     << "/// (a signal handler): calls over a k42::LeasedTransport's slot, "
        "strings and\n"
     << "/// vectors sent from views and returned into the caller's "
        "buffers, no heap,\n"
     << "/// no exceptions, no thread-local storage (stubc "
        "--client=handler).\n";
  OS << "template <k42::LeasedTransport TransportT> class " << Stub << " {\n";
  OS << "public:\n";
  OS << "  /// Calls to \\p Handle over \\p Via. Nothing is asked of the "
        "server (no\n"
     << "  /// bind): the caller knows the handle names a\n"
     << "  /// " << I.QualifiedName << ".\n";
  OS << "  " << Stub << "(TransportT &Via, const k42::ObjectHandle &Handle)\n"
     << "      : Via(Via), Handle(Handle) {}\n\n";
  for (const MethodModel &M : I.Methods) {
    if (M.OneWay)
      OS << "  /// One-way: returns once the request is delivered.\n";
    OS << "  k42::Status " << M.Name << "(" << params(M, false) << ")"
       << (M.Const ? " const" : "") << ";\n";
  }
  OS << "\nprivate:\n"
     << "  TransportT &Via;\n"
     << "  k42::ObjectHandle Handle;\n"
     << "};\n\n";
  for (const MethodModel &M : I.Methods)
    emitMethod(OS, I, M);
}

} // namespace stubc
