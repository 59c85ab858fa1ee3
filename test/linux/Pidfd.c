// pidfd_send_signal to another process: a plain signal (si_code SI_USER),
// one with a siginfo (SI_QUEUE, the sender's si_pid and its value), the
// 0 probe; a siginfo whose si_signo is not the signal EINVAL, a code only
// the kernel may set EPERM, unknown flags EINVAL; a descriptor that is no
// pidfd EBADF; the child reaped ESRCH. Prints only what is the same
// natively and under K42 (where the signal goes through the Linux process
// server, as kill's does).
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t Code, FromParent, Value, Got;
static pid_t Parent;

static void onSignal(int Sig, siginfo_t *Info, void *Context) {
  (void)Sig;
  (void)Context;
  Code = Info->si_code;
  FromParent = Info->si_pid == Parent;
  Value = Info->si_value.sival_int;
  ++Got;
}

static const char *result(long R) {
  if (R >= 0)
    return "ok";
  switch (errno) {
  case EINVAL:
    return "EINVAL";
  case EPERM:
    return "EPERM";
  case ESRCH:
    return "ESRCH";
  case EBADF:
    return "EBADF";
  default:
    return strerror(errno);
  }
}

static long sendSignal(int Fd, int Sig, siginfo_t *Info, unsigned Flags) {
  return syscall(SYS_pidfd_send_signal, Fd, Sig, Info, Flags);
}

int main(void) {
  setvbuf(stdout, 0, _IONBF, 0);
  Parent = getpid();
  int Ready[2], Report[2];
  if (pipe(Ready) || pipe(Report))
    return 1;
  sigset_t Usr1;
  sigemptyset(&Usr1);
  sigaddset(&Usr1, SIGUSR1);
  sigprocmask(SIG_BLOCK, &Usr1, 0);
  pid_t Child = fork();
  if (Child == 0) {
    struct sigaction A;
    memset(&A, 0, sizeof A);
    A.sa_sigaction = onSignal;
    A.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &A, 0);
    sigset_t Wait;
    sigemptyset(&Wait);
    write(Ready[1], "r", 1);
    // Two signals, each reported back to the parent.
    for (int I = 0; I < 2; ++I) {
      while (Got == I)
        sigsuspend(&Wait);
      char Line[96];
      // A plain signal's si_pid is the process server's under K42 (the
      // limit kill's has: only the kernel may write SI_USER's sender), so
      // only a queued one's sender is shown.
      int N = Code == SI_QUEUE
                  ? snprintf(Line, sizeof Line,
                             "code SI_QUEUE from parent %d value %d\n",
                             (int)FromParent, (int)Value)
                  : snprintf(Line, sizeof Line, "code %s\n",
                             Code == SI_USER ? "SI_USER" : "other");
      write(Report[1], Line, (size_t)N);
    }
    _exit(0);
  }
  char C;
  read(Ready[0], &C, 1);
  int Fd = (int)syscall(SYS_pidfd_open, Child, 0);
  if (Fd < 0) {
    printf("pidfd_open: %s\n", strerror(errno));
    return 1;
  }
  char Line[96];
  printf("probe: %s\n", result(sendSignal(Fd, 0, 0, 0)));
  printf("plain: %s\n", result(sendSignal(Fd, SIGUSR1, 0, 0)));
  long N = read(Report[0], Line, sizeof Line - 1);
  Line[N > 0 ? N : 0] = 0;
  printf("child: %s", Line);

  siginfo_t Info;
  memset(&Info, 0, sizeof Info);
  Info.si_signo = SIGUSR2;
  Info.si_code = SI_QUEUE;
  printf("si_signo not the signal: %s\n",
         result(sendSignal(Fd, SIGUSR1, &Info, 0)));
  Info.si_signo = SIGUSR1;
  Info.si_code = SI_USER;
  printf("kernel's code: %s\n", result(sendSignal(Fd, SIGUSR1, &Info, 0)));
  Info.si_code = SI_QUEUE;
  Info.si_pid = Parent;
  Info.si_uid = getuid();
  Info.si_value.sival_int = 42;
  printf("bad flags: %s\n", result(sendSignal(Fd, SIGUSR1, &Info, 0x4000)));
  printf("queued: %s\n", result(sendSignal(Fd, SIGUSR1, &Info, 0)));
  N = read(Report[0], Line, sizeof Line - 1);
  Line[N > 0 ? N : 0] = 0;
  printf("child: %s", Line);

  printf("not a pidfd: %s\n", result(sendSignal(Ready[0], SIGUSR1, 0, 0)));
  int Status;
  waitpid(Child, &Status, 0);
  printf("child exit %d\n", WEXITSTATUS(Status));
  printf("after reaping: %s\n", result(sendSignal(Fd, SIGUSR1, 0, 0)));
  return 0;
}
