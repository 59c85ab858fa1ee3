//===- k42/personality/VdsoSymbol.h - The vDSO's own functions --*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A function of the process's vDSO by name (`__vdso_clock_gettime`),
/// found in the vDSO's own ELF image (getauxval(AT_SYSINFO_EHDR)): the
/// preloaded library's clock_gettime answers the clocks the vDSO answers
/// from the vDSO itself, as glibc's does, since its own name is glibc's
/// and glibc's entry to the vDSO is private. Freestanding and lock-free
/// (reads of mapped memory only), so safe in a signal handler, unlike
/// dlsym.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_VDSOSYMBOL_H
#define K42_PERSONALITY_VDSOSYMBOL_H

namespace k42::personality {

/// Lookups in the vDSO's dynamic symbol table.
class VdsoSymbol {
public:
  /// The address of the vDSO's defined function \p Name, or null (no
  /// vDSO, no such function, an image this does not read).
  static void *find(const char *Name);
};

} // namespace k42::personality

#endif // K42_PERSONALITY_VDSOSYMBOL_H
