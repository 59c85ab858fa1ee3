//===- k42/personality/ProcNames.h - Names spelled without libc -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Decimal numbers and `/proc/self/fd/<n>` names, spelled inside handlers
/// (no libc): the personality asks the host what one of its descriptors is
/// by reading that link, and builds lock-file, `/proc/<pid>/fd/<n>` and
/// `pipe:[id]` names with the same digits. One spelling, so none of the
/// callers keeps its own digit loop.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_PROCNAMES_H
#define K42_PERSONALITY_PROCNAMES_H

#include <cstddef>
#include <cstdint>

namespace k42::personality {

/// Writes \p V in decimal at \p At (at most 20 digits, no terminator) and
/// returns the end.
inline char *putDecimal(char *At, uint64_t V) {
  char Digits[20];
  int N = 0;
  do {
    Digits[N++] = char('0' + V % 10);
    V /= 10;
  } while (V);
  while (N)
    *At++ = Digits[--N];
  return At;
}

/// Room for `/proc/self/fd/` and any descriptor number, with the NUL.
constexpr size_t FdPathBytes = 40;

/// `/proc/self/fd/<Fd>`, terminated, into \p Out: the host's name of the
/// process's descriptor \p Fd (not negative), whose link names its file.
inline void fdPath(long Fd, char (&Out)[FdPathBytes]) {
  static constexpr char Prefix[] = "/proc/self/fd/";
  for (size_t I = 0; I + 1 < sizeof(Prefix); ++I)
    Out[I] = Prefix[I];
  *putDecimal(Out + sizeof(Prefix) - 1, uint64_t(Fd)) = 0;
}

} // namespace k42::personality

#endif // K42_PERSONALITY_PROCNAMES_H
