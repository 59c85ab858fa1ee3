/*===- test/linux/GlibcSysdepProbe.c - The K42 glibc sysdep, compiled -----===*
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 *===----------------------------------------------------------------------===*
 *
 * libk42-sysdep-probe.so: system calls made with the macros of the K42
 * glibc overlay (glibc-sysdeps/glibc/.../k42-sysdep.h), built as a shared
 * library as libc.so is, so its weak reference to k42_syscall is resolved
 * when the program is loaded: to libk42linux.so under the personality,
 * to nothing natively.
 *
 *===----------------------------------------------------------------------===*/

#include <k42-sysdep.h>
/* glibc's x86_64 sysdep.h reaches the overlay once through a nested
   inclusion before it defines its own internal_syscall0..6; the overlay's
   last inclusion, at the end of the outermost sysdep.h, must win. Here
   (-1L) stands for glibc's own definition. */
#undef internal_syscall0
#define internal_syscall0(number, dummy...) (-1L)
#include <k42-sysdep.h>

#include <stddef.h>
#include <sys/mman.h>
#include <sys/syscall.h>

/* K42's null call (1024) through INTERNAL_SYSCALL_NCS. */
long probeNull(void) { return INTERNAL_SYSCALL_NCS(1024, 0); }

/* write(2) through internal_syscall3. */
long probeWrite(int Fd, const void *Bytes, size_t Count) {
  return internal_syscall3(SYS_write, Fd, Bytes, Count);
}

/* mmap of one anonymous page through internal_syscall6: every argument
   register carried. */
long probeMmap(void) {
  return internal_syscall6(SYS_mmap, NULL, 4096, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

/* Whether the weak entry was resolved (the personality is loaded). */
int probeBranches(void) { return k42_syscall != 0; }
