//===- stubc/lib/Extract/Fingerprint.h - Interface fingerprints -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// An interface's fingerprint is the FNV-1a 64 hash of a canonical text of
/// everything a client and a server must agree on: the name and version,
/// each method's number, name, one-way flag and the kind, direction and type
/// of each marshalled parameter, and the right names in bit order. Parameter
/// names, comments, required rights (server policy) and the caller badge
/// (never on the wire) are left out, so renaming a parameter or tightening
/// a right does not break separately built clients.
///
//===----------------------------------------------------------------------===//

#ifndef K42_STUBC_LIB_EXTRACT_FINGERPRINT_H
#define K42_STUBC_LIB_EXTRACT_FINGERPRINT_H

#include "stubc/Model.h"

#include <cstdint>
#include <string>

namespace stubc {

/// The canonical text the fingerprint hashes (printed by --emit=json).
std::string canonicalSignature(const InterfaceModel &Interface);

/// fnv1a64(canonicalSignature(Interface)).
uint64_t fingerprintOf(const InterfaceModel &Interface);

/// The name of \p Kind as JSON and the canonical text spell it.
const char *kindName(ParamKind Kind);

/// The name of \p Dir as JSON and the canonical text spell it.
const char *directionName(Direction Dir);

} // namespace stubc

#endif // K42_STUBC_LIB_EXTRACT_FINGERPRINT_H
