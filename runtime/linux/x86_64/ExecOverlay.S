//===- runtime/linux/x86_64/ExecOverlay.S - The overlay's last steps ------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// What runs after the point of no return of an exec in user space
// (ExecOverlay.cpp). These bytes are copied into a page of their own, with
// the plan beside them, so that they outlive every old mapping (this
// library's too); they are position independent and touch nothing but the
// plan. Signals are blocked and Syscall User Dispatch is off by now.
//
// void k42_overlay_run(const Plan *plan)
//   Plan: OpCount 0, Ops 8, Sp 16, Gadget 24, Self 32, SelfLength 40,
//         StackTop 48
//   Op (64 bytes): Kind 0, Number 8, Arg[6] 16..56
//     Kind 0: system call, result ignored; 1: system call that must work
//     (else the process dies of SIGKILL, as Linux kills a process whose
//     exec fails past the point of no return); 2: copy Arg[1] to Arg[0],
//     Arg[2] bytes; 3: zero Arg[0], Arg[1] bytes.
//
// The last step unmaps the page these bytes are in, so it cannot return
// here: it jumps to a `syscall` in the vDSO followed by nothing but xors
// of registers and `ret` (Plan.Gadget), with the stack pointer one word
// below the new program's argc, where the plan's image put its entry: the
// munmap returns into the vDSO, whose ret enters the program with %rsp at
// argc and %rdx zero, as the kernel starts one.
//
//===----------------------------------------------------------------------===//

  .text

  .globl k42_overlay_begin
  .hidden k42_overlay_begin
  .globl k42_overlay_end
  .hidden k42_overlay_end
  .p2align 4
k42_overlay_begin:
  movq 48(%rdi), %rsp
  movq %rdi, %r12
  movq 8(%r12), %r13
  movq 0(%r12), %r14
1:
  testq %r14, %r14
  jz 4f
  movq 0(%r13), %rax
  cmpq $2, %rax
  je 5f
  cmpq $3, %rax
  je 6f
  movq 8(%r13), %rax
  movq 16(%r13), %rdi
  movq 24(%r13), %rsi
  movq 32(%r13), %rdx
  movq 40(%r13), %r10
  movq 48(%r13), %r8
  movq 56(%r13), %r9
  syscall
  cmpq $1, 0(%r13)
  jne 2f
  cmpq $-4095, %rax
  jae 7f
2:
  addq $64, %r13
  decq %r14
  jmp 1b
5:
  movq 16(%r13), %rdi
  movq 24(%r13), %rsi
  movq 32(%r13), %rcx
  cld
  rep movsb
  jmp 2b
6:
  movq 16(%r13), %rdi
  movq 24(%r13), %rcx
  xorl %eax, %eax
  cld
  rep stosb
  jmp 2b
7:
  // kill(getpid(), SIGKILL)
  movl $39, %eax
  syscall
  movq %rax, %rdi
  movl $9, %esi
  movl $62, %eax
  syscall
  hlt
4:
  // A fresh floating-point state, as a new program gets.
  fninit
  pushq $0x1f80
  ldmxcsr (%rsp)
  cld
  movq 24(%r12), %r11
  movq 32(%r12), %rdi
  movq 40(%r12), %rsi
  movq 16(%r12), %rsp
  subq $8, %rsp
  xorl %edx, %edx
  xorl %ecx, %ecx
  xorl %ebx, %ebx
  xorl %ebp, %ebp
  xorl %r8d, %r8d
  xorl %r9d, %r9d
  xorl %r10d, %r10d
  xorl %r12d, %r12d
  xorl %r13d, %r13d
  xorl %r14d, %r14d
  xorl %r15d, %r15d
  movl $11, %eax
  jmp *%r11
k42_overlay_end:

  .section .note.GNU-stack,"",@progbits
