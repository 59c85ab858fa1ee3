// test/linux/RawSyscall.c: system calls the way glibc makes them internally
// and static programs make them everywhere, an inline `syscall`
// instruction, to show they reach K42's table. K42's null call (1024)
// answers a magic number only K42 gives; the host answers ENOSYS.
//
//   linux-rawsyscall [STATUS]      the null call, getpid both ways, syscall();
//                           exits with STATUS (default 3)
//   linux-rawsyscall --refusals    unknown and refused numbers, twice each
//   linux-rawsyscall --bad-args    calls with bad pointers and sizes: errors, no crash
//   linux-rawsyscall --signals [verbose]  handlers return through rt_sigreturn;
//                           SIGSYS stays the program's to catch; verbose also
//                           says who answered with every signal blocked
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define K42_NULL 1024
#define K42_MAGIC 0x4b4200004b42L

static long raw6(long Nr, long A0, long A1, long A2, long A3) {
  long Result;
  register long R10 __asm__("r10") = A3;
  __asm__ volatile("syscall"
                   : "=a"(Result)
                   : "a"(Nr), "D"(A0), "S"(A1), "d"(A2), "r"(R10)
                   : "rcx", "r11", "memory");
  return Result;
}
static long raw(long Nr) { return raw6(Nr, 0, 0, 0, 0); }

static const char *who(long Result) {
  return Result == K42_MAGIC ? "k42" : Result == -ENOSYS ? "ENOSYS" : "other";
}

/// The same for glibc's convention: -1 and errno.
static const char *whoLibc(long Result) {
  return Result == -1 && errno == ENOSYS ? "ENOSYS" : who(Result);
}

static volatile sig_atomic_t Caught;
static void onSignal(int Signal) { Caught = Signal; }

static int signals(int Verbose) {
  signal(SIGUSR1, onSignal);
  raise(SIGUSR1);
  printf("SIGUSR1 handler ran: %d\n", Caught == SIGUSR1);
  // The program's own SIGSYS: set, read back, caught from kill.
  struct sigaction Action, Old;
  memset(&Action, 0, sizeof(Action));
  Action.sa_handler = onSignal;
  sigaction(SIGSYS, &Action, NULL);
  sigaction(SIGSYS, NULL, &Old);
  printf("SIGSYS handler kept: %d\n", Old.sa_handler == onSignal);
  Caught = 0;
  kill(getpid(), SIGSYS);
  printf("SIGSYS from kill caught: %d\n", Caught == SIGSYS);
  // Blocking everything must not block the personality's SIGSYS.
  sigset_t All;
  sigfillset(&All);
  sigprocmask(SIG_BLOCK, &All, NULL);
  long Null = raw(K42_NULL);
  if (Verbose)
    printf("all blocked, null call: %s\n", who(Null));
  sigset_t Now;
  sigprocmask(SIG_SETMASK, NULL, &Now);
  printf("SIGUSR1 still blocked: %d\n", sigismember(&Now, SIGUSR1));
  sigprocmask(SIG_UNBLOCK, &All, NULL);
  return 0;
}

static int badArgs(void) {
  // Every answer is an errno, and the process lives on.
  printf("rt_sigprocmask bad set: %ld\n",
         raw6(SYS_rt_sigprocmask, SIG_BLOCK, 8, 0, 8));
  printf("rt_sigprocmask bad size: %ld\n",
         raw6(SYS_rt_sigprocmask, SIG_BLOCK, 0, 0, 3));
  printf("rt_sigaction bad act: %ld\n",
         raw6(SYS_rt_sigaction, SIGUSR1, 8, 0, 8));
  printf("rt_sigaction SIGSYS bad old: %ld\n",
         raw6(SYS_rt_sigaction, SIGSYS, 0, 8, 8));
  int Zero = open("/dev/zero", O_RDONLY);
  printf("read bad buffer: %ld\n", raw6(SYS_read, Zero, 8, 10, 0));
  printf("write bad fd: %ld\n", raw6(SYS_write, -1, 0, 0, 0));
  printf("execve bad path: %ld\n", raw6(SYS_execve, 8, 0, 0, 0));
  printf("clone bad stack: %ld\n",
         raw6(SYS_clone, 0x50f00 /* thread flags */, 8, 0, 0));
  printf("alive\n");
  return 0;
}

int main(int Argc, char **Argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (Argc > 1 && strcmp(Argv[1], "--refusals") == 0) {
    printf("999: %s\n", who(raw(999)));
    printf("999 again: %s\n", who(raw(999)));
    printf("io_uring_setup: %s\n", who(raw(SYS_io_uring_setup)));
    printf("io_uring_setup again: %s\n", who(raw(SYS_io_uring_setup)));
    printf("past the table: %s\n", who(raw(100000)));
    return 0;
  }
  if (Argc > 1 && strcmp(Argv[1], "--bad-args") == 0)
    return badArgs();
  if (Argc > 1 && strcmp(Argv[1], "--signals") == 0)
    return signals(Argc > 2);
  printf("null call, syscall instruction: %s\n", who(raw(K42_NULL)));
  printf("null call, syscall(): %s\n", whoLibc(syscall(K42_NULL)));
  printf("getpid both ways agree: %d\n", raw(SYS_getpid) == getpid());
  printf("getppid both ways agree: %d\n", raw(SYS_getppid) == getppid());
  return Argc > 1 ? atoi(Argv[1]) : 3;
}
