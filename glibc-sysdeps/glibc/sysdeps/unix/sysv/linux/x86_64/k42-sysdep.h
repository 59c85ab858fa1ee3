/* K42 overlay for glibc's sysdeps/unix/sysv/linux/x86_64/sysdep.h.

   SPDX-License-Identifier: Apache-2.0

   A K42-targeted glibc makes its system calls by branching to the Linux
   personality's transfer table instead of executing `syscall': the table's
   entry is k42_syscall (glibc-sysdeps/lib/DirectBranch.cpp), which the
   preloaded libk42linux.so exports.  apply-overlay.sh copies this header
   next to glibc's x86_64 sysdep.h and includes it at that header's end, so
   that these definitions of internal_syscall0..6 (behind INTERNAL_SYSCALL,
   INTERNAL_SYSCALL_NCS, INLINE_SYSCALL and SYSCALL_CANCEL) replace glibc's.

   The reference is weak: with no personality loaded (the same libc run
   natively, or a static link) it is null and the call is the `syscall'
   instruction it always was, which a personality arming trap reflection
   still catches.  ld.so keeps `syscall': it makes calls before it has
   relocated itself, when no GOT entry can be trusted.  The header needs
   nothing of glibc's, so test/linux compiles it on its own.  */

#ifndef K42_SYSDEP_H
#define K42_SYSDEP_H 1

#ifndef __ASSEMBLER__

/* The transfer table's entry: system call NUMBER with six arguments, the
   kernel's convention (a value, or a negated errno); never sets errno.  */
extern long int k42_syscall (long int __number, long int __a0, long int __a1,
                             long int __a2, long int __a3, long int __a4,
                             long int __a5) __attribute__ ((weak));

#if defined IS_IN
# if IS_IN (rtld)
#  define K42_SYSDEP_BRANCH 0
# endif
#endif
#ifndef K42_SYSDEP_BRANCH
# define K42_SYSDEP_BRANCH 1
#endif

/* The `syscall' instruction, as glibc's own macros issue it.  */
static inline __attribute__ ((always_inline)) long int
k42_sysdep_trap (long int __number, long int __a0, long int __a1,
                 long int __a2, long int __a3, long int __a4, long int __a5)
{
  register long int __r10 __asm__ ("r10") = __a3;
  register long int __r8 __asm__ ("r8") = __a4;
  register long int __r9 __asm__ ("r9") = __a5;
  unsigned long int __result;
  __asm__ __volatile__ ("syscall\n\t"
                        : "=a" (__result)
                        : "0" (__number), "D" (__a0), "S" (__a1),
                          "d" (__a2), "r" (__r10), "r" (__r8), "r" (__r9)
                        : "memory", "cc", "r11", "rcx");
  return (long int) __result;
}

/* A system call: a branch to the table when the personality is loaded,
   the instruction otherwise.  */
static inline __attribute__ ((always_inline)) long int
k42_sysdep_call (long int __number, long int __a0, long int __a1,
                 long int __a2, long int __a3, long int __a4, long int __a5)
{
#if K42_SYSDEP_BRANCH
  long int (*__entry) (long int, long int, long int, long int, long int,
                       long int, long int) = k42_syscall;
  if (__entry != 0)
    return __entry (__number, __a0, __a1, __a2, __a3, __a4, __a5);
#endif
  return k42_sysdep_trap (__number, __a0, __a1, __a2, __a3, __a4, __a5);
}

/* glibc's own spelling, for code that names the number.  */
#ifndef INTERNAL_SYSCALL_NCS
# define INTERNAL_SYSCALL_NCS(number, nr, args...) \
  internal_syscall##nr (number, args)
#endif

#endif /* !__ASSEMBLER__ */

#endif /* k42-sysdep.h */

/* The macros are defined again at every inclusion, outside the guard:
   glibc's x86_64 sysdep.h includes itself indirectly before it defines
   its own internal_syscall0..6, so the inclusion that counts is the last,
   at the end of the outermost sysdep.h.  */
#ifndef __ASSEMBLER__

/* Arguments as the kernel takes them: LP64, so an integer or a pointer
   widened to a register (glibc's ARGIFY, for x86_64 proper).  */
#undef K42_SYSDEP_ARG
#define K42_SYSDEP_ARG(X) ((long int) (X))

#undef internal_syscall0
#define internal_syscall0(number, dummy...) \
  k42_sysdep_call (number, 0, 0, 0, 0, 0, 0)
#undef internal_syscall1
#define internal_syscall1(number, a1) \
  k42_sysdep_call (number, K42_SYSDEP_ARG (a1), 0, 0, 0, 0, 0)
#undef internal_syscall2
#define internal_syscall2(number, a1, a2) \
  k42_sysdep_call (number, K42_SYSDEP_ARG (a1), K42_SYSDEP_ARG (a2), 0, 0, \
                   0, 0)
#undef internal_syscall3
#define internal_syscall3(number, a1, a2, a3) \
  k42_sysdep_call (number, K42_SYSDEP_ARG (a1), K42_SYSDEP_ARG (a2), \
                   K42_SYSDEP_ARG (a3), 0, 0, 0)
#undef internal_syscall4
#define internal_syscall4(number, a1, a2, a3, a4) \
  k42_sysdep_call (number, K42_SYSDEP_ARG (a1), K42_SYSDEP_ARG (a2), \
                   K42_SYSDEP_ARG (a3), K42_SYSDEP_ARG (a4), 0, 0)
#undef internal_syscall5
#define internal_syscall5(number, a1, a2, a3, a4, a5) \
  k42_sysdep_call (number, K42_SYSDEP_ARG (a1), K42_SYSDEP_ARG (a2), \
                   K42_SYSDEP_ARG (a3), K42_SYSDEP_ARG (a4), \
                   K42_SYSDEP_ARG (a5), 0)
#undef internal_syscall6
#define internal_syscall6(number, a1, a2, a3, a4, a5, a6) \
  k42_sysdep_call (number, K42_SYSDEP_ARG (a1), K42_SYSDEP_ARG (a2), \
                   K42_SYSDEP_ARG (a3), K42_SYSDEP_ARG (a4), \
                   K42_SYSDEP_ARG (a5), K42_SYSDEP_ARG (a6))

#endif /* !__ASSEMBLER__ */
