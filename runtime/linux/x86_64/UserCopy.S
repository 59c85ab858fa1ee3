//===- runtime/linux/x86_64/UserCopy.S - A copy that may fault ------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// The personality's copy to and from memory a caller named in a system
// call. A bad address faults here, and only here can a fault be survived:
// the personality's SIGSEGV/SIGBUS handler (FaultSignals.cpp) sees a fault
// whose pc lies in [k42_user_copy_begin, k42_user_copy_end), moves the pc
// to k42_user_copy_fixup and returns, as a kernel's exception table does.
//
// rep movsb leaves rcx at the bytes still to copy when it faults (the
// iterations before the faulting one are done), so the fixup returns how
// much was not copied: 0 on success, as Linux's raw_copy_to_user.
//
// The 16 bytes before the function are its mark: a tracer under the
// personality (TraceStops.cpp) reads them, and the copy's first bytes, at
// a tracee's fault, and passes the fault on unseen, as Linux shows a
// debugger no fault for a system call's bad pointer.
//
//===----------------------------------------------------------------------===//

  .text

// size_t k42_user_copy(void *to, const void *from, size_t length)
  .globl k42_user_copy
  .hidden k42_user_copy
  .type k42_user_copy,@function
  .p2align 4
  .globl k42_user_copy_mark
  .hidden k42_user_copy_mark
k42_user_copy_mark:
  .ascii "k42-user-copy-1\0"
k42_user_copy:
  .cfi_startproc
  movq %rdx, %rcx
  .globl k42_user_copy_begin
  .hidden k42_user_copy_begin
k42_user_copy_begin:
  rep movsb
  .globl k42_user_copy_end
  .hidden k42_user_copy_end
k42_user_copy_end:
  xorl %eax, %eax
  ret
  .globl k42_user_copy_fixup
  .hidden k42_user_copy_fixup
k42_user_copy_fixup:
  movq %rcx, %rax
  ret
  .cfi_endproc
  .size k42_user_copy, .-k42_user_copy

  .section .note.GNU-stack,"",@progbits
