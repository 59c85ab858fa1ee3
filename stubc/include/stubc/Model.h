//===- stubc/include/stubc/Model.h - The interface model --------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The interface model: everything stubc learned from an interface header,
/// with no reference back into the Clang AST. The extractor builds it (and
/// reports every problem in the header while doing so); the emitters only
/// read it. Keeping the AST out lets the emitters be tested on hand-made
/// models and lets `--emit=json` print exactly what the emitters see.
///
//===----------------------------------------------------------------------===//

#ifndef K42_STUBC_MODEL_H
#define K42_STUBC_MODEL_H

#include <cstdint>
#include <string>
#include <vector>

namespace stubc {

/// How a parameter crosses the PPC page.
enum class ParamKind {
  /// Arithmetic or enumeration type, bool included.
  Scalar,
  /// A trivially copyable class or array type, copied as bytes.
  Pod,
  /// std::string_view, const std::string & (in); std::string & (out/inout).
  String,
  /// const std::vector<T> & (in); std::vector<T> & (out/inout); T trivially
  /// copyable.
  Vector,
  /// std::span<const T> (in); std::span<T> (out: the client's span size is
  /// the capacity, and every element comes back).
  Span,
  /// K42_LENGTH(N) const T * (in) or T * (out), N an integral parameter.
  RawBuffer,
  /// k42::ObjectHandle by value or const & (in), & (out).
  Handle,
  /// K42_CALLER k42::Badge: filled by the X object, not in the stub.
  Caller,
};

/// Which way a parameter travels.
enum class Direction { In, Out, InOut };

/// One parameter of an exported method.
struct ParamModel {
  /// The parameter's name (stubc invents `Arg<N>` for unnamed ones).
  std::string Name;
  /// The parameter's type, fully qualified, as it appears in the signature,
  /// e.g. "const std::vector<int32_t> &" or "std::span<const uint8_t>".
  std::string Type;
  /// The type of the value itself with references and cv removed, fully
  /// qualified: "int64_t" for `int64_t &`, "std::string" for
  /// `const std::string &`, "k42::ObjectHandle".
  std::string ValueType;
  /// For Vector, Span and RawBuffer: the element type, fully qualified and
  /// without const ("uint8_t").
  std::string ElementType;
  /// For Scalar enums: the fully qualified underlying integer type (empty
  /// otherwise); for bool, "bool".
  std::string UnderlyingType;
  ParamKind Kind = ParamKind::Scalar;
  Direction Dir = Direction::In;
  /// For RawBuffer: the index (in Params) of the parameter holding the
  /// element count.
  int LengthParam = -1;
  /// True if this parameter is the element count of some RawBuffer.
  bool IsLengthOf = false;
  /// sizeof the value for Scalar, Pod and Handle; sizeof the element for
  /// Vector, Span and RawBuffer; 0 otherwise.
  uint64_t Size = 0;
  /// alignof the value or element.
  uint64_t Align = 1;
};

/// One exported method.
struct MethodModel {
  /// The method's name.
  std::string Name;
  /// The stable method number.
  uint32_t Id = 0;
  /// True if K42_METHOD_ID gave the number.
  bool IdExplicit = false;
  /// True for K42_ONEWAY methods (void result, in parameters only).
  bool OneWay = false;
  /// True if the method is const-qualified.
  bool Const = false;
  /// The rights required, as a mask over the interface's Rights.
  uint64_t RequiredRights = 0;
  /// The same rights by name, in bit order.
  std::vector<std::string> RequiredRightNames;
  /// The parameters in declaration order, the Caller one included.
  std::vector<ParamModel> Params;
  /// The qualified name of the interface that declared the method (differs
  /// from the model's interface for inherited methods).
  std::string DeclaringInterface;
  /// Upper bound of the request and reply payload bytes taken by the
  /// fixed-size parts (variable parts are checked at run time).
  uint64_t FixedRequestBytes = 0;
  uint64_t FixedReplyBytes = 0;
};

/// One right name.
struct RightModel {
  std::string Name;
  /// Bit position in RightsMask.
  unsigned Bit = 0;
  /// The interface that declared it.
  std::string DeclaringInterface;
};

/// How a hot-swap state field is saved.
enum class StateKind {
  /// Arithmetic, enum, or trivially copyable class or array: raw bytes.
  Trivial,
  /// std::atomic<T> of an arithmetic T: load and store.
  Atomic,
  /// std::string.
  String,
  /// std::vector<T>, T trivially copyable.
  Vector,
};

/// One K42_STATE field.
struct StateFieldModel {
  std::string Name;
  /// The field's type, fully qualified.
  std::string Type;
  /// For Atomic: T; for Vector: the element type.
  std::string ElementType;
  StateKind Kind = StateKind::Trivial;
};

/// A class (exported or not) with K42_STATE fields.
struct StateClassModel {
  /// Unqualified and qualified class name.
  std::string Name;
  std::string QualifiedName;
  /// Enclosing namespaces, outermost first (generated code goes there).
  std::vector<std::string> Namespaces;
  std::vector<StateFieldModel> Fields;
};

/// One exported interface, with its inherited methods and rights folded in.
struct InterfaceModel {
  std::string Name;
  std::string QualifiedName;
  std::vector<std::string> Namespaces;
  /// K42_VERSION, 1 by default.
  uint32_t Version = 1;
  /// K42_TRACE: the X object records a trace event per call and return.
  bool Trace = false;
  /// FNV-1a 64 of the canonical signature (see Fingerprint.h).
  uint64_t Fingerprint = 0;
  /// Qualified name of the exported base interface, or empty.
  std::string Base;
  /// Fingerprints of this interface and every exported ancestor, own first.
  std::vector<uint64_t> Compatible;
  /// All rights, inherited first, in bit order.
  std::vector<RightModel> Rights;
  /// All methods, inherited first, each group in declaration order.
  std::vector<MethodModel> Methods;
  /// Where the class is declared (for generated comments).
  std::string File;
  unsigned Line = 0;
};

/// Everything stubc learned from one header.
struct FileModel {
  /// The header as named on the command line.
  std::string MainFile;
  /// How the generated code includes the header.
  std::string IncludeName;
  /// Exported interfaces declared in the main file, in declaration order.
  std::vector<InterfaceModel> Interfaces;
  /// Classes of the main file with K42_STATE fields.
  std::vector<StateClassModel> StateClasses;
};

} // namespace stubc

#endif // K42_STUBC_MODEL_H
