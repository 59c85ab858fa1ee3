//===- k42/personality/HostCall.h - System calls from the gate --*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The personality's own way to reach the host kernel. Syscall User Dispatch
/// lets system calls through only from one address range, the gate
/// (trap/x86_64/Gate.S); every host call the personality makes goes through
/// it, so no personality call is ever trapped, whatever the selector says,
/// and the personality never touches errno or thread-local storage (it also
/// runs under static programs that own %fs).
///
//===----------------------------------------------------------------------===//

#ifndef K42_PERSONALITY_HOSTCALL_H
#define K42_PERSONALITY_HOSTCALL_H

#include <sys/syscall.h>

extern "C" {
/// A raw system call issued from the gate: the kernel's result, a negated
/// errno on failure.
long k42_host_syscall(long Number, long A0, long A1, long A2, long A3, long A4,
                      long A5);
/// The SIGSYS restorer and the place a trapped rt_sigreturn is re-issued
/// from: rt_sigreturn with the stack as it is.
void k42_sigaction_restorer();
/// clone(Flags, Record, Ptid, Ctid, Tls) from the gate. The parent gets the
/// child's tid (or an error) back; the child starts on the stack at Record,
/// a ChildStart (CloneCalls), arms itself and resumes the caller there.
long k42_clone_gate(long Flags, void *Record, int *Ptid, int *Ctid, long Tls);
/// \p Fn(\p Arg) with the stack pointer at \p Top (16-byte aligned), for
/// work that needs more stack than its caller's has (CallOnStack.S).
long k42_call_on_stack(long (*Fn)(void *), void *Arg, void *Top);
/// The bounds of the gate: the range Syscall User Dispatch allows.
extern char k42_gate_begin[];
extern char k42_gate_end[];
}

namespace k42::personality {

/// A host system call with up to six arguments.
inline long hostCall(long Number, long A0 = 0, long A1 = 0, long A2 = 0,
                     long A3 = 0, long A4 = 0, long A5 = 0) {
  return k42_host_syscall(Number, A0, A1, A2, A3, A4, A5);
}

/// The alignment of the personality's large tables, a page: each variable
/// is in a section of its own and sorted by alignment
/// (glibc-sysdeps/CMakeLists.txt), so the tables come first and the small
/// variables that every program start and fork child writes share a few
/// pages, each of which costs a page fault (a copy, in a fork child).
inline constexpr unsigned long TableAlign = 4096;

/// \p Signal to the calling thread, as the kernel sends a thread the
/// signal its own call earned (SIGPIPE, SIGXFSZ).
inline void raiseInThisThread(int Signal) {
  (void)hostCall(SYS_tgkill, hostCall(SYS_getpid), hostCall(SYS_gettid),
                 Signal);
}

/// Whether the calling thread holds capability \p Cap (a CAP_* number) in
/// its effective set, as the host judges the calls that ask for it.
inline bool hasCapability(unsigned Cap) {
  // linux/capability.h's version 3 header and its two data words.
  struct {
    unsigned Version;
    int Pid;
  } Header{0x20080522, 0};
  struct {
    unsigned Effective, Permitted, Inheritable;
  } Data[2] = {};
  if (hostCall(SYS_capget, reinterpret_cast<long>(&Header),
               reinterpret_cast<long>(Data)) != 0)
    return false;
  return Cap < 64 && ((Data[Cap / 32].Effective >> (Cap % 32)) & 1) != 0;
}
/// Whether \p Result is the kernel's error range.
inline bool isError(long Result) {
  return static_cast<unsigned long>(Result) > -4096UL;
}

} // namespace k42::personality

#endif // K42_PERSONALITY_HOSTCALL_H
