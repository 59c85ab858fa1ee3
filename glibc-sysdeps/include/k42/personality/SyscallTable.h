//===- k42/personality/SyscallTable.h - The transfer table ------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The system-call transfer table of the FREENIX 2003 paper (section 4.1):
/// the system-call number indexes an array of handlers, so a call costs one
/// bounds check and one indirect branch. It is made at compile time from
/// glibc-sysdeps/syscalls.def; both entries (direct branch and trap
/// reflection) call dispatch(), and nothing else decides where a call goes.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_SYSCALLTABLE_H
#define K42_PERSONALITY_SYSCALLTABLE_H

#include "k42/personality/Syscall.h"

#include <array>

namespace k42::personality {

/// The table itself: handlers and their descriptions, indexed by number.
class SyscallTable {
public:
  /// The handler for \p Call.Number, run; numbers outside the table or
  /// without an entry answer -ENOSYS (logged once per number). Like the
  /// x86_64 kernel, only the low 32 bits of the number count.
  [[gnu::always_inline]] static long dispatch(SyscallCall &Call) {
    unsigned Number = static_cast<unsigned>(Call.Number);
    if (Number >= TableSize) [[unlikely]]
      return refuseUnknown(Call);
    return Handlers[Number](Call);
  }

  /// The description of \p Number; a default (Unknown) one for numbers
  /// without an entry, so callers need no bounds check of their own.
  static const SyscallInfo &info(long Number);

  /// The handler array, for code that wants the raw table (a K42-targeted
  /// glibc branches through it directly).
  static const std::array<SyscallHandler, TableSize> Handlers;

private:
  static long refuseUnknown(SyscallCall &Call);
};

/// Passes \p Call to the host kernel unchanged (the HOST disposition).
long passToHost(SyscallCall &Call);

} // namespace k42::personality

#endif // K42_PERSONALITY_SYSCALLTABLE_H
