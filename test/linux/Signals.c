// Waiting for signals and queueing them, and the group list, on the
// personality: sigsuspend woken by another process's signal (with a mask
// that blocks everything else, SIGSYS and SIGSEGV included, while the
// handler makes a raw system call and passes a bad pointer), pause (also
// with SIGSEGV ignored and sent), sigtimedwait (a signal from another
// process, one raised, a timeout, a set of SIGSYS alone, SIGSEGV ignored
// and sent while waited for, EINVAL, EFAULT),
// sigpending (SIGSYS never in it), sigqueue and rt_tgsigqueueinfo to
// another process and to itself (values, si_code checks, ESRCH, EINVAL,
// EFAULT, EPERM for a dropped uid), getgroups and setgroups (sorted,
// inherited, EINVAL, EFAULT, EPERM). Prints only what is the same natively
// and under K42 (a signal the process server delivers carries the
// server's pid).
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *name(int E) {
  switch (E) {
  case 0:
    return "ok";
  case EPERM:
    return "EPERM";
  case ESRCH:
    return "ESRCH";
  case EINVAL:
    return "EINVAL";
  case EFAULT:
    return "EFAULT";
  case EINTR:
    return "EINTR";
  case EAGAIN:
    return "EAGAIN";
  default:
    return strerror(E);
  }
}

/// The errno name of a -1 result, "ok" otherwise.
static const char *result(long R) { return R < 0 ? name(errno) : "ok"; }

static volatile sig_atomic_t Got, RawCall, BadWrite, Value, Code;
static int Pipe[2];

/// A raw system call: trapped under K42 whatever the program's mask.
static long rawGetppid(void) {
  long R;
  __asm__ volatile("syscall"
                   : "=a"(R)
                   : "a"((long)SYS_getppid)
                   : "rcx", "r11", "memory");
  return R;
}

static void onSignal(int S) {
  int Saved = errno;
  Got = S;
  RawCall = rawGetppid() > 0;
  BadWrite = write(Pipe[1], (void *)8, 1) < 0 && errno == EFAULT;
  errno = Saved;
}

static void onInfo(int S, siginfo_t *Info, void *Context) {
  (void)Context;
  Got = S;
  Code = Info->si_code;
  Value = Info->si_value.sival_int;
}

static void handle(int S, int Flags) {
  struct sigaction A;
  memset(&A, 0, sizeof(A));
  if (Flags & SA_SIGINFO)
    A.sa_sigaction = onInfo;
  else
    A.sa_handler = onSignal;
  A.sa_flags = Flags;
  sigaction(S, &A, NULL);
}

static void maskOf(sigset_t *Set, int S, int How) {
  sigemptyset(Set);
  sigaddset(Set, S);
  sigprocmask(How, Set, NULL);
}

/// A child that sends \p S to its parent every 20 ms until killed, after
/// \p First (if not 0) once.
static pid_t sender(int S, int First) {
  pid_t P = fork();
  if (P == 0) {
    pid_t Parent = getppid();
    usleep(50000);
    if (First)
      kill(Parent, First);
    for (;;) {
      usleep(20000);
      kill(Parent, S);
    }
  }
  return P;
}

static void stop(pid_t P) {
  int St;
  kill(P, SIGKILL);
  waitpid(P, &St, 0);
}

static void waits(void) {
  sigset_t Set, Now;
  int St;
  pipe(Pipe);
  handle(SIGUSR1, 0);
  maskOf(&Set, SIGUSR1, SIG_BLOCK);
  // sigsuspend with everything but SIGUSR1 blocked (SIGSYS and SIGSEGV
  // too), woken by a child's kill; the handler traps and faults a copy.
  pid_t P = fork();
  if (P == 0)
    _exit(kill(getppid(), SIGUSR1) == 0 ? 0 : 1);
  sigset_t All;
  sigfillset(&All);
  sigdelset(&All, SIGUSR1);
  Got = 0;
  long R = sigsuspend(&All);
  printf("sigsuspend: %s got %d raw call %d bad write EFAULT %d\n", result(R),
         Got == SIGUSR1, RawCall, BadWrite);
  waitpid(P, &St, 0);
  sigprocmask(SIG_BLOCK, NULL, &Now);
  printf("mask after: usr1 %d usr2 %d segv %d\n", sigismember(&Now, SIGUSR1),
         sigismember(&Now, SIGUSR2), sigismember(&Now, SIGSEGV));
  printf("sigsuspend size 4: %s bad mask: %s\n",
         result(syscall(SYS_rt_sigsuspend, &All, 4)),
         result(syscall(SYS_rt_sigsuspend, (void *)8, 8)));
  // pause, woken by a handled signal from another process.
  handle(SIGUSR2, 0);
  Got = 0;
  P = sender(SIGUSR2, 0);
  R = pause();
  printf("pause: %s got %d\n", result(R), Got == SIGUSR2);
  stop(P);
  // SIGSEGV ignored: sent while pause waits, it is discarded.
  signal(SIGSEGV, SIG_IGN);
  Got = 0;
  P = sender(SIGUSR2, SIGSEGV);
  R = pause();
  printf("pause with SIGSEGV ignored: %s got %d\n", result(R), Got == SIGUSR2);
  stop(P);
  signal(SIGSEGV, SIG_DFL);
  // sigtimedwait: a blocked signal from another process, one raised, a
  // timeout, a set of SIGSYS alone.
  siginfo_t Info;
  struct timespec Long = {10, 0}, Short = {0, 10000000}, Bad = {0, 2000000000};
  P = fork();
  if (P == 0)
    _exit(kill(getppid(), SIGUSR1) == 0 ? 0 : 1);
  memset(&Info, 0, sizeof(Info));
  R = sigtimedwait(&Set, &Info, &Long);
  printf("sigtimedwait other: %ld signo %d user %d\n", R, Info.si_signo,
         Info.si_code == SI_USER);
  waitpid(P, &St, 0);
  raise(SIGUSR1);
  R = sigtimedwait(&Set, &Info, &Long);
  printf("sigtimedwait raised: %ld code %d pid %d\n", R, Info.si_code,
         Info.si_pid == getpid());
  printf("sigtimedwait timeout: %s\n",
         result(sigtimedwait(&Set, NULL, &Short)));
  sigset_t Sys;
  sigemptyset(&Sys);
  sigaddset(&Sys, SIGSYS);
  printf("sigtimedwait SIGSYS: %s\n", result(sigtimedwait(&Sys, NULL, &Short)));
  // SIGSEGV ignored and not blocked: Linux discards it, even when waited
  // for; the wait goes on to the blocked SIGUSR1 sent after it.
  signal(SIGSEGV, SIG_IGN);
  sigset_t UsrSegv = Set;
  sigaddset(&UsrSegv, SIGSEGV);
  P = fork();
  if (P == 0) {
    pid_t Parent = getppid();
    usleep(50000);
    kill(Parent, SIGSEGV);
    usleep(50000);
    _exit(kill(Parent, SIGUSR1) == 0 ? 0 : 1);
  }
  R = sigtimedwait(&UsrSegv, &Info, &Long);
  printf("sigtimedwait with SIGSEGV ignored: %ld\n", R);
  waitpid(P, &St, 0);
  signal(SIGSEGV, SIG_DFL);
  printf("sigtimedwait size 4: %s bad set: %s bad timeout: %s\n",
         result(syscall(SYS_rt_sigtimedwait, &Set, NULL, &Short, 4)),
         result(syscall(SYS_rt_sigtimedwait, (void *)8, NULL, &Short, 8)),
         result(sigtimedwait(&Set, NULL, &Bad)));
  // sigpending: the blocked signal raised, never SIGSYS.
  raise(SIGUSR1);
  sigset_t Pending;
  sigemptyset(&Pending);
  R = sigpending(&Pending);
  printf("sigpending: %s usr1 %d sys %d\n", result(R),
         sigismember(&Pending, SIGUSR1), sigismember(&Pending, SIGSYS));
  printf("sigpending size 16: %s bad: %s\n",
         result(syscall(SYS_rt_sigpending, &Pending, 16)),
         result(syscall(SYS_rt_sigpending, (void *)8, 8)));
  sigwaitinfo(&Set, &Info);
  sigprocmask(SIG_UNBLOCK, &Set, NULL);
  close(Pipe[0]);
  close(Pipe[1]);
}

static long queueInfo(pid_t Pid, int S, int Code, int V) {
  siginfo_t Info;
  memset(&Info, 0, sizeof(Info));
  Info.si_signo = S;
  Info.si_code = Code;
  Info.si_pid = getpid();
  Info.si_uid = getuid();
  Info.si_value.sival_int = V;
  return syscall(SYS_rt_sigqueueinfo, Pid, S, &Info);
}

static void queues(void) {
  int St;
  sigset_t Set;
  siginfo_t Info;
  int Rt = SIGRTMIN;
  maskOf(&Set, Rt, SIG_BLOCK);
  // To another process: its value, code and sender.
  pid_t P = fork();
  if (P == 0) {
    siginfo_t In;
    int S = sigwaitinfo(&Set, &In);
    printf("child got: %d queue %d value %d from parent %d\n", S == Rt,
           In.si_code == SI_QUEUE, In.si_value.sival_int,
           In.si_pid == getppid());
    fflush(stdout);
    _exit(0);
  }
  union sigval V = {.sival_int = 42};
  const char *Sent = result(sigqueue(P, Rt, V));
  waitpid(P, &St, 0);
  printf("sigqueue other: %s\n", Sent);
  // To a thread of another process (its main thread).
  P = fork();
  if (P == 0) {
    siginfo_t In;
    int S = sigwaitinfo(&Set, &In);
    printf("thread got: %d value %d\n", S == Rt, In.si_value.sival_int);
    fflush(stdout);
    _exit(0);
  }
  memset(&Info, 0, sizeof(Info));
  Info.si_signo = Rt;
  Info.si_code = SI_QUEUE;
  Info.si_pid = getpid();
  Info.si_uid = getuid();
  Info.si_value.sival_int = 43;
  Sent = result(syscall(SYS_rt_tgsigqueueinfo, P, P, Rt, &Info));
  waitpid(P, &St, 0);
  printf("tgsigqueueinfo other: %s\n", Sent);
  // Linux's rules: only the target itself may claim a kernel or kill code.
  pid_t Q = fork();
  if (Q == 0) {
    for (;;)
      pause();
  }
  printf("queue SI_USER other: %s SI_TKILL other: %s\n",
         result(queueInfo(Q, Rt, SI_USER, 1)),
         result(queueInfo(Q, Rt, SI_TKILL, 1)));
  printf("tgsigqueueinfo SI_USER other: %s wrong group: %s tid 0: %s\n",
         result(syscall(SYS_rt_tgsigqueueinfo, Q, Q, Rt,
                        &(siginfo_t){.si_code = 0})),
         result(syscall(SYS_rt_tgsigqueueinfo, getpid(), Q, Rt, &Info)),
         result(syscall(SYS_rt_tgsigqueueinfo, Q, 0, Rt, &Info)));
  printf("queue bad signal: %s bad info: %s probe: %s\n",
         result(queueInfo(Q, 99, SI_QUEUE, 1)),
         result(syscall(SYS_rt_sigqueueinfo, Q, Rt, (void *)8)),
         result(queueInfo(Q, 0, SI_QUEUE, 1)));
  stop(Q);
  printf("queue reaped: %s pid 0: %s\n", result(queueInfo(Q, Rt, SI_QUEUE, 1)),
         result(queueInfo(0, Rt, SI_QUEUE, 1)));
  // A uid dropped: the root parent is out of reach.
  if (getuid() == 0) {
    P = fork();
    if (P == 0) {
      setuid(65534);
      printf("dropped uid queue parent: %s\n",
             result(sigqueue(getppid(), Rt, V)));
      fflush(stdout);
      _exit(0);
    }
    waitpid(P, &St, 0);
  } else {
    printf("dropped uid queue parent: EPERM\n");
  }
  // To itself, with a handler: the value and any code.
  sigprocmask(SIG_UNBLOCK, &Set, NULL);
  handle(Rt, SA_SIGINFO);
  Got = 0;
  V.sival_int = 7;
  printf("sigqueue self: %s", result(sigqueue(getpid(), Rt, V)));
  printf(" got %d queue %d value %d\n", Got == Rt, Code == SI_QUEUE, Value);
  Got = 0;
  printf("queue SI_USER self: %s", result(queueInfo(getpid(), Rt, SI_USER, 8)));
  printf(" got %d user %d value %d\n", Got == Rt, Code == SI_USER, Value);
  signal(Rt, SIG_DFL);
}

static void printGroups(const char *What) {
  gid_t G[64];
  int N = getgroups(64, G);
  printf("%s:", What);
  for (int I = 0; I < N; ++I)
    printf(" %u", (unsigned)G[I]);
  printf("\n");
}

static void groups(void) {
  gid_t G[64];
  int N = getgroups(0, NULL);
  printf("getgroups count agrees: %d\n", getgroups(64, G) == N);
  printf("getgroups negative: %s\n", result(syscall(SYS_getgroups, -1, G)));
  if (getuid() != 0) {
    // The same lines as root would print, refused where root is allowed.
    printf("setgroups: EPERM\n");
    return;
  }
  int St;
  pid_t P = fork();
  if (P == 0) {
    gid_t Three[] = {7, 5, 6};
    printf("setgroups: %s\n", result(setgroups(3, Three)));
    printGroups("groups");
    printf("getgroups short: %s\n", result(getgroups(2, G)));
    printf("getgroups bad: %s\n", result(getgroups(3, (gid_t *)8)));
    printf("setgroups negative: %s too many: %s bad: %s invalid: %s\n",
           result(syscall(SYS_setgroups, -1, G)),
           result(syscall(SYS_setgroups, 70000, G)),
           result(syscall(SYS_setgroups, 2, (void *)8)),
           result(setgroups(1, (gid_t[]){(gid_t)-1})));
    printGroups("groups after refusals");
    pid_t Q = fork();
    if (Q == 0) {
      printGroups("inherited");
      fflush(stdout);
      _exit(0);
    }
    waitpid(Q, &St, 0);
    setuid(65534);
    printf("setgroups dropped: %s\n", result(setgroups(0, NULL)));
    printGroups("groups kept");
    fflush(stdout);
    _exit(0);
  }
  waitpid(P, &St, 0);
}

static void noteSignal(int Signal) { (void)Signal; }

/// An action set with a full mask reads back with every signal but
/// SIGKILL and SIGSTOP, which the kernel takes out (the personality's
/// host action never blocks SIGSYS, and valgrind asserts the full mask it
/// set comes back), and with the handler and flags the program gave.
static void actions(void) {
  struct sigaction Set, Back;
  memset(&Set, 0, sizeof(Set));
  Set.sa_handler = noteSignal;
  Set.sa_flags = SA_RESTART;
  sigfillset(&Set.sa_mask);
  sigaction(SIGUSR2, &Set, NULL);
  sigaction(SIGUSR2, NULL, &Back);
  printf("actions: mask lacks");
  for (int Signal = 1; Signal < 65; ++Signal)
    if (!sigismember(&Back.sa_mask, Signal))
      printf(" %d", Signal);
  printf("; handler %s, SA_RESTART %d\n",
         Back.sa_handler == noteSignal ? "the program's" : "another",
         (Back.sa_flags & SA_RESTART) != 0);
  signal(SIGUSR2, SIG_DFL);
}

int main(int Argc, char **Argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  const char *Part = Argc > 1 ? Argv[1] : "all";
  if (!strcmp(Part, "all") || !strcmp(Part, "waits"))
    waits();
  if (!strcmp(Part, "all") || !strcmp(Part, "queues"))
    queues();
  if (!strcmp(Part, "all") || !strcmp(Part, "groups"))
    groups();
  if (!strcmp(Part, "all") || !strcmp(Part, "actions"))
    actions();
  printf("done\n");
  return 0;
}
