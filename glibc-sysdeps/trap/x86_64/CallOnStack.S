//===- glibc-sysdeps/trap/x86_64/CallOnStack.S - A call on another stack --===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// long k42_call_on_stack(long (*Fn)(void *), void *Arg, void *Top):
// Fn(Arg) with the stack pointer at Top (16-byte aligned), back on the
// caller's stack for the return. A handler that needs more stack than its
// caller has (every call of a posix_spawn child, which glibc starts on a
// 36 KiB stack: SpawnView::run) runs on a mapping of its own.
//
//===----------------------------------------------------------------------===//

  .text
  .p2align 4
  .globl k42_call_on_stack
  .hidden k42_call_on_stack
  .type k42_call_on_stack,@function
k42_call_on_stack:
  .cfi_startproc
  push %rbp
  .cfi_def_cfa_offset 16
  .cfi_offset %rbp, -16
  mov %rsp, %rbp
  .cfi_def_cfa_register %rbp
  mov %rdx, %rsp
  mov %rdi, %rax
  mov %rsi, %rdi
  call *%rax
  mov %rbp, %rsp
  pop %rbp
  .cfi_def_cfa %rsp, 8
  ret
  .cfi_endproc
  .size k42_call_on_stack, .-k42_call_on_stack

  .section .note.GNU-stack,"",@progbits
