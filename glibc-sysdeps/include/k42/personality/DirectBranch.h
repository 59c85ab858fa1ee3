//===- k42/personality/DirectBranch.h - Calls without a trap ----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The fast entry of the paper's section 4.1: a caller that knows about K42
/// (an interposed glibc wrapper, a K42-targeted glibc, the benchmark)
/// indexes the transfer table and branches, with no trap and no signal.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_DIRECTBRANCH_H
#define K42_PERSONALITY_DIRECTBRANCH_H

#include "k42/personality/SyscallTable.h"

namespace k42::personality {

/// System call \p Number by direct branch; the kernel's convention.
[[gnu::always_inline]] inline long directCall(long Number, long A0 = 0,
                                              long A1 = 0, long A2 = 0,
                                              long A3 = 0, long A4 = 0,
                                              long A5 = 0) {
  SyscallCall Call;
  Call.Number = Number;
  Call.Arg[0] = A0;
  Call.Arg[1] = A1;
  Call.Arg[2] = A2;
  Call.Arg[3] = A3;
  Call.Arg[4] = A4;
  Call.Arg[5] = A5;
  return SyscallTable::dispatch(Call);
}

} // namespace k42::personality

extern "C" {
/// The table's entry for code built against K42 (a K42-targeted glibc's
/// system-call stub): the kernel's convention, no errno.
long k42_syscall(long Number, long A0, long A1, long A2, long A3, long A4,
                 long A5);
}

#endif // K42_PERSONALITY_DIRECTBRANCH_H
