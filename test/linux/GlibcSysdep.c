/*===- test/linux/GlibcSysdep.c - The K42 glibc sysdep reaches the table -===*
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 *===----------------------------------------------------------------------===*
 *
 * linux-glibc-sysdep: calls made by the K42 glibc overlay's macros (in
 * libk42-sysdep-probe.so) against the same calls made by the `syscall'
 * instruction, before and after this thread turns trap reflection off.
 * Under the personality the macros still reach the table once nothing is
 * trapped (K42's null call answers its magic number): they branch.
 *
 *===----------------------------------------------------------------------===*/

#include <stdio.h>
#include <string.h>

long probeNull(void);
long probeWrite(int Fd, const void *Bytes, unsigned long Count);
long probeMmap(void);
int probeBranches(void);

/* The `syscall' instruction with four arguments; the fifth is 0 (prctl
   refuses PR_SYS_DISPATCH_OFF with anything else in it). */
static long rawSyscall4(long Number, long A0, long A1, long A2, long A3) {
  long Result;
  register long R10 __asm__("r10") = A3, R8 __asm__("r8") = 0;
  __asm__ __volatile__("syscall"
                       : "=a"(Result)
                       : "0"(Number), "D"(A0), "S"(A1), "d"(A2), "r"(R10),
                         "r"(R8)
                       : "memory", "cc", "r11", "rcx");
  return Result;
}

static long rawSyscall(long Number, long A0, long A1) {
  return rawSyscall4(Number, A0, A1, 0, 0);
}

static void say(const char *What, long Result) {
  if (Result == 0x4b4200004b42L)
    printf("%s: K42 magic\n", What);
  else if (Result < 0 && Result > -4096)
    printf("%s: -%s\n", What, Result == -38 ? "ENOSYS" : "other errno");
  else
    printf("%s: %ld\n", What, Result);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  printf("entry resolved %d\n", probeBranches());
  say("sysdep null", probeNull());
  say("syscall null", rawSyscall(1024, 0, 0));
  /* K42's nesting probe (prctl "K42\0"): EINVAL natively, the
     personality's answer under it. */
  printf("nesting probe %ld\n", rawSyscall(157, 0x4b343200, 0));
  /* The program's own dispatch, on, its allowed range all of user space
     (natively nothing traps then): the personality's dispatch is not the
     program's to take (EINVAL). */
  printf("dispatch on %ld\n", rawSyscall4(157, 59, 1, 0, 0x7ffffffff000L));
  /* PR_SET_SYSCALL_USER_DISPATCH (59), off: the host lets this thread's
     `syscall' instructions through from now on. */
  printf("dispatch off %ld\n", rawSyscall(157, 59, 0));
  say("disarmed, syscall null", rawSyscall(1024, 0, 0));
  say("disarmed, sysdep null", probeNull());
  const char Text[] = "written through the sysdep\n";
  say("sysdep write", probeWrite(1, Text, strlen(Text)));
  long Map = probeMmap();
  printf("sysdep mmap %s\n", Map > 0 && (Map & 4095) == 0 ? "page" : "failed");
  return 0;
}
