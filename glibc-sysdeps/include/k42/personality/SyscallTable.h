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

#include "k42/personality/HandlerStack.h"
#include "k42/personality/SeccompFilters.h"
#include "k42/personality/SpawnView.h"
#include "k42/personality/Syscall.h"

#include <array>
#include <cerrno>

namespace k42::personality {

/// The table itself: handlers and their descriptions, indexed by number.
class SyscallTable {
public:
  /// The handler for \p Call.Number, run; numbers outside the table or
  /// without an entry answer -ENOSYS (logged once per number). Like the
  /// x86_64 kernel, only the low 32 bits of the number count.
  /// A program's seccomp filters judge the call first (SeccompFilters).
  /// While a posix_spawn child may run in this memory, the handler goes
  /// through SpawnView::run, which gives such a child a stack of its own;
  /// elsewhere through HandlerStack::run, which gives a call that may not
  /// fit on its caller's stack (a thread's, an alternate signal stack) one
  /// of the personality's.
  [[gnu::always_inline]] static long dispatch(SyscallCall &Call) {
    if (SeccompFilters::on()) [[unlikely]] {
      long Answer;
      if (SeccompFilters::screen(Call, Answer))
        return Answer;
    }
    unsigned Number = static_cast<unsigned>(Call.Number);
    if (Number >= TableSize) [[unlikely]]
      return refuseUnknown(Call);
    SyscallHandler Handler = Handlers[HandlerIndex[Number]];
    long Result = SpawnView::underWay() ? SpawnView::run(Handler, Call)
                                        : HandlerStack::run(Handler, Call);
    return Result == LeftK42 ? -ENOENT : Result;
  }

  /// The description of \p Number; a default (Unknown) one for numbers
  /// without an entry, so callers need no bounds check of their own.
  static SyscallInfo info(long Number);

  /// How many distinct handlers there are: each K42 entry's own, and
  /// those of unknown, host and refused numbers.
  static constexpr size_t NumHandlers = 3
#define K42_COUNT_K42 1
#define K42_COUNT_HOST 0
#define K42_COUNT_NOSYS(Errno) 0
#define K42_SYSCALL(Number, Name, Args, Disp) +K42_COUNT_##Disp
#include "syscalls.def"
#undef K42_SYSCALL
#undef K42_COUNT_K42
#undef K42_COUNT_HOST
#undef K42_COUNT_NOSYS
      ;

  /// The raw table, in two levels: the distinct handlers, and for each
  /// number the index of its own (0 for a number without an entry). One
  /// pointer per distinct handler rather than per number keeps the table
  /// free of relocations the dynamic loader would make (and the pages it
  /// would copy) at every program start; the indices are plain read-only
  /// data.
  static const std::array<SyscallHandler, NumHandlers> Handlers;
  static const std::array<uint16_t, TableSize> HandlerIndex;

private:
  static long refuseUnknown(SyscallCall &Call);
};

/// Passes \p Call to the host kernel unchanged (the HOST disposition).
long passToHost(SyscallCall &Call);

} // namespace k42::personality

#endif // K42_PERSONALITY_SYSCALLTABLE_H
