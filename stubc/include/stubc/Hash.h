//===- stubc/include/stubc/Hash.h - Stable hashes ---------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The hashes behind method numbers and fingerprints. They are part of the
/// wire contract between separately built clients and servers, so they are
/// defined here once, by value, and must never change: FNV-1a, 32 and 64 bit.
///
//===----------------------------------------------------------------------===//

#ifndef K42_STUBC_HASH_H
#define K42_STUBC_HASH_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>

namespace stubc {

/// FNV-1a, 32 bits: method numbers hash "<qualified interface>::<method>".
inline uint32_t fnv1a32(llvm::StringRef Text) {
  uint32_t Hash = 2166136261u;
  for (unsigned char C : Text) {
    Hash ^= C;
    Hash *= 16777619u;
  }
  return Hash;
}

/// FNV-1a, 64 bits: interface fingerprints hash the canonical signature.
inline uint64_t fnv1a64(llvm::StringRef Text) {
  uint64_t Hash = 14695981039346656037ull;
  for (unsigned char C : Text) {
    Hash ^= C;
    Hash *= 1099511628211ull;
  }
  return Hash;
}

} // namespace stubc

#endif // K42_STUBC_HASH_H
