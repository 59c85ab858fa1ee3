//===- glibc-sysdeps/trap/x86_64/SiteEntry.S - Patched sites' entry -------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// Where every stub of a patched site calls (trap/SitePatch.cpp writes the
// stubs): eax holds the call's number, rdi rsi rdx r10 r8 r9 its arguments,
// and the stub has already stepped over the caller's red zone. A system
// call preserves every register but rax, rcx and r11, and the flags; so
// does this, xmm0-15, mxcsr and the x87 state included (fxsave), since the
// C++ handler may use SSE. The handler code itself uses no AVX, so the
// upper halves of the ymm registers are left as they were.
//
// The saved registers, from the address k42_site_call receives:
//   rbx r9 r8 r10 rdx rsi rdi flags   (SitePatch.cpp's SiteRegisters)
//
//===----------------------------------------------------------------------===//

  .text
  .p2align 4
  .globl k42_site_entry
  .hidden k42_site_entry
  .type k42_site_entry,@function
k42_site_entry:
  .cfi_startproc
  endbr64
  pushfq
  .cfi_adjust_cfa_offset 8
  // The ABI wants the direction flag clear on a call; the caller's is
  // restored with its flags.
  cld
  pushq %rdi
  .cfi_adjust_cfa_offset 8
  pushq %rsi
  .cfi_adjust_cfa_offset 8
  pushq %rdx
  .cfi_adjust_cfa_offset 8
  pushq %r10
  .cfi_adjust_cfa_offset 8
  pushq %r8
  .cfi_adjust_cfa_offset 8
  pushq %r9
  .cfi_adjust_cfa_offset 8
  pushq %rbx
  .cfi_adjust_cfa_offset 8
  .cfi_rel_offset rbx, 0
  movq %rsp, %rbx
  .cfi_def_cfa_register rbx
  subq $512, %rsp
  andq $-64, %rsp
  fxsave64 (%rsp)
  movl %eax, %edi
  movq %rbx, %rsi
  call k42_site_call
  fxrstor64 (%rsp)
  movq %rbx, %rsp
  .cfi_def_cfa_register rsp
  popq %rbx
  .cfi_adjust_cfa_offset -8
  .cfi_restore rbx
  popq %r9
  .cfi_adjust_cfa_offset -8
  popq %r8
  .cfi_adjust_cfa_offset -8
  popq %r10
  .cfi_adjust_cfa_offset -8
  popq %rdx
  .cfi_adjust_cfa_offset -8
  popq %rsi
  .cfi_adjust_cfa_offset -8
  popq %rdi
  .cfi_adjust_cfa_offset -8
  popfq
  .cfi_adjust_cfa_offset -8
  ret
  .cfi_endproc
  .size k42_site_entry, .-k42_site_entry

  .section .note.GNU-stack,"",@progbits
