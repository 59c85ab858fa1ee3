//===- k42/personality/Syscall.h - One system call, as data -----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// What travels from either entry (a direct branch from an interposed glibc
/// wrapper, or a trap reflected into the process) to the handler a
/// transfer-table entry names. Both entries build the same SyscallCall, so a
/// handler never knows, or needs to know, how the call arrived, except for
/// the few calls that must rewrite the caller's registers (clone with a new
/// stack, rt_sigreturn), which only the trap gives them.
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_SYSCALL_H
#define K42_PERSONALITY_SYSCALL_H

#include <cstdint>

#include <ucontext.h>

namespace k42::personality {

/// The number K42's own null call answers with; no Linux call returns it, so
/// a program that sees it knows its call reached the K42 table.
constexpr long K42NullMagic = 0x4b42'0000'4b42;

/// The first number of K42's own calls, past every Linux number.
constexpr long K42FirstPrivate = 1024;

/// Entries in the transfer table: every Linux number and K42's own calls.
constexpr long TableSize = 1040;

/// A handler's internal answer "this path left K42 through a symlink; the
/// host's on another path" (FsBridge::LeftK42). Outside the errno range;
/// the handlers that can redo the call on the host do, and the table turns
/// one that escapes any other handler into ENOENT, so a program never sees
/// it.
constexpr long LeftK42 = -10000;

/// One system call as the caller made it: the number and the six argument
/// registers (rdi rsi rdx r10 r8 r9), whatever the call reads of them.
struct SyscallCall {
  long Number = 0;
  long Arg[6] = {};
  /// The caller's registers when the call was trapped; null for a direct
  /// branch. A handler that changes the caller's rip sets Redirected, and
  /// the trap then leaves rax as the handler left it.
  ucontext_t *Trap = nullptr;
  bool Redirected = false;
  /// How many times the personality made the call again on a path that a
  /// symlink between K42's names and the host's led to (a K42 link to a
  /// host folder holding a host link into K42's /tmp): ELOOP past 40, as
  /// Linux's walk past 40 links.
  uint8_t Hops = 0;
};

/// A table entry's handler: the kernel's convention, a non-negative result
/// or a negated errno, so every error is a value the caller sees.
using SyscallHandler = long (*)(SyscallCall &Call);

/// A handler and its call behind one pointer, for code that runs the
/// handler through a `long (*)(void *)` callback on another stack
/// (HandlerStack's pool, a posix_spawn child's own stack).
struct BoundCall {
  SyscallHandler Handler;
  SyscallCall *Call;
  static long run(void *Self) {
    auto *B = static_cast<BoundCall *>(Self);
    return B->Handler(*B->Call);
  }
};

/// Who answers a call (syscalls.def explains each).
enum class Disposition : uint8_t { Unknown, K42, Host, NoSys };

/// What the table knows about one number besides its handler.
struct SyscallInfo {
  const char *Name = nullptr;
  uint8_t Args = 0;
  Disposition Kind = Disposition::Unknown;
  /// The errno a NoSys entry answers (positive); 0 otherwise.
  int16_t Errno = 0;
};

} // namespace k42::personality

#endif // K42_PERSONALITY_SYSCALL_H
