//===- stubc/lib/Extract/Fingerprint.cpp - Interface fingerprints ---------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "Extract/Fingerprint.h"
#include "stubc/Hash.h"

namespace stubc {

const char *kindName(ParamKind Kind) {
  switch (Kind) {
  case ParamKind::Scalar:
    return "scalar";
  case ParamKind::Pod:
    return "pod";
  case ParamKind::String:
    return "string";
  case ParamKind::Vector:
    return "vector";
  case ParamKind::Span:
    return "span";
  case ParamKind::RawBuffer:
    return "rawBuffer";
  case ParamKind::Handle:
    return "handle";
  case ParamKind::Caller:
    return "caller";
  }
  return "unknown";
}

const char *directionName(Direction Dir) {
  switch (Dir) {
  case Direction::In:
    return "in";
  case Direction::Out:
    return "out";
  case Direction::InOut:
    return "inout";
  }
  return "unknown";
}

std::string canonicalSignature(const InterfaceModel &Interface) {
  std::string Text = "interface " + Interface.QualifiedName + " version " +
                     std::to_string(Interface.Version) + ";";
  for (const RightModel &R : Interface.Rights)
    Text += " right " + R.Name + ";";
  for (const MethodModel &M : Interface.Methods) {
    Text += " method " + std::to_string(M.Id) + " " + M.Name + "(";
    bool First = true;
    for (const ParamModel &P : M.Params) {
      if (P.Kind == ParamKind::Caller)
        continue;
      if (!First)
        Text += ", ";
      First = false;
      Text += std::string(directionName(P.Dir)) + " " + kindName(P.Kind) +
              " " + (P.ElementType.empty() ? P.ValueType : P.ElementType);
      if (P.Size)
        Text += "/" + std::to_string(P.Size);
    }
    Text += M.OneWay ? ") oneway;" : ");";
  }
  return Text;
}

uint64_t fingerprintOf(const InterfaceModel &Interface) {
  return fnv1a64(canonicalSignature(Interface));
}

} // namespace stubc
