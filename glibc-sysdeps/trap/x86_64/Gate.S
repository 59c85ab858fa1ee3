//===- glibc-sysdeps/trap/x86_64/Gate.S - The allowed region ---------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// The only code of a personality process whose system calls Syscall User
// Dispatch lets through. Everything the personality asks of the host goes
// through here, so the selector can stay BLOCK, and the SIGSYS handler's own
// rt_sigreturn (whose restorer lies here) is never trapped.
//
// The child of a clone with a new stack starts here on that stack, with
// rsp at a ChildStart record (runtime/linux/CloneCalls.cpp): the caller's
// registers. It arms trap reflection for itself, then takes the caller's
// registers and returns to the caller as the kernel would have: rax 0,
// rcx the return address, r11 the flags.
//
//===----------------------------------------------------------------------===//

// Offsets in ChildStart (kept in step with CloneCalls.cpp by static_asserts).
#define CS_R8 0
#define CS_R9 8
#define CS_R10 16
#define CS_R12 24
#define CS_R13 32
#define CS_R14 40
#define CS_R15 48
#define CS_RDI 56
#define CS_RSI 64
#define CS_RBP 72
#define CS_RBX 80
#define CS_RDX 88
#define CS_RIP 96
#define CS_RSP 104
#define CS_FLAGS 112

  .section k42_gate,"ax",@progbits
  .p2align 6
  .globl k42_gate_begin
  .hidden k42_gate_begin
k42_gate_begin:

// long k42_host_syscall(long nr, long a0, long a1, long a2, long a3, long a4,
//                       long a5)
  .globl k42_host_syscall
  .hidden k42_host_syscall
  .type k42_host_syscall,@function
k42_host_syscall:
  .cfi_startproc
  movq %rdi, %rax
  movq %rsi, %rdi
  movq %rdx, %rsi
  movq %rcx, %rdx
  movq %r8, %r10
  movq %r9, %r8
  movq 8(%rsp), %r9
  syscall
  ret
  .cfi_endproc
  .size k42_host_syscall, .-k42_host_syscall

// void k42_sigaction_restorer(void): rt_sigreturn with rsp as it is.
  // Outside every function's unwind information, as glibc's __restore_rt
  // is: an unwinder looks up a return address's byte before it, and
  // here finds none, so it takes the restorer below by its bytes.
  nop
  .globl k42_sigaction_restorer
  .hidden k42_sigaction_restorer
  .type k42_sigaction_restorer,@function
k42_sigaction_restorer:
  // The bytes of glibc's __restore_rt (mov $15, %rax; syscall), which
  // libgcc's unwinder and gdb take for a signal frame's return: a
  // backtrace, and a thread cancelled in a trapped call, unwind through
  // the SIGSYS handler's frame into the program's. gdb looks at the bytes
  // only under a name with "sigaction" in it (or __restore_rt's).
  movq $15, %rax
  syscall
  hlt
  .size k42_sigaction_restorer, .-k42_sigaction_restorer

// long k42_clone_gate(long flags, void *record, int *ptid, int *ctid, long tls)
  .globl k42_clone_gate
  .hidden k42_clone_gate
  .type k42_clone_gate,@function
k42_clone_gate:
  .cfi_startproc
  movq %rcx, %r10
  movl $56, %eax
  syscall
  testq %rax, %rax
  jz 1f
  ret
  .cfi_endproc
1:
  // The child, on the new stack, at its ChildStart record.
  .cfi_startproc
  .cfi_undefined rip
  movq %rsp, %rbx
  movq %rsp, %rdi
  andq $-16, %rsp
  call k42_child_started@PLT
  movq CS_R8(%rbx), %r8
  movq CS_R9(%rbx), %r9
  movq CS_R10(%rbx), %r10
  movq CS_R12(%rbx), %r12
  movq CS_R13(%rbx), %r13
  movq CS_R14(%rbx), %r14
  movq CS_R15(%rbx), %r15
  movq CS_RDI(%rbx), %rdi
  movq CS_RSI(%rbx), %rsi
  movq CS_RBP(%rbx), %rbp
  movq CS_RDX(%rbx), %rdx
  movq CS_RIP(%rbx), %rcx
  movq CS_FLAGS(%rbx), %r11
  movq CS_RSP(%rbx), %rsp
  movq CS_RBX(%rbx), %rbx
  xorl %eax, %eax
  jmp *%rcx
  .cfi_endproc
  .size k42_clone_gate, .-k42_clone_gate

  .globl k42_gate_end
  .hidden k42_gate_end
k42_gate_end:

  .section .note.GNU-stack,"",@progbits
