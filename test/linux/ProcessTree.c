// The process family on the personality: fork and wait4 statuses (exited,
// killed, stopped and continued), waitid, wait selectors, setsid, setpgid,
// getpgid and getsid with their errnos, kill to a group, the kill 0 probe,
// ESRCH and EINVAL, the uid and gid calls, signals between processes with
// handlers, a wait interrupted by a signal (EINTR), an orphan's new
// parent. Prints only what is the same natively and under K42; facts only
// K42 can state (an orphan's parent is init) go to the file named by
// argv[1].
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *name(int E) {
  switch (E) {
  case 0: return "ok";
  case EPERM: return "EPERM";
  case ESRCH: return "ESRCH";
  case EINVAL: return "EINVAL";
  case EACCES: return "EACCES";
  case ECHILD: return "ECHILD";
  case EFAULT: return "EFAULT";
  case EINTR: return "EINTR";
  default: return strerror(E);
  }
}

/// The errno name of a -1 result, "ok" otherwise.
static const char *result(long R) { return R < 0 ? name(errno) : "ok"; }

static volatile sig_atomic_t Got;
static void onSignal(int S) { Got = S; }

static void handle(int S, int Flags) {
  struct sigaction A;
  memset(&A, 0, sizeof(A));
  A.sa_handler = onSignal;
  A.sa_flags = Flags;
  sigaction(S, &A, NULL);
}

static pid_t child(int Code) {
  pid_t P = fork();
  if (P == 0) {
    if (Code >= 0)
      _exit(Code);
    for (;;)
      pause();
  }
  return P;
}

static void statuses(void) {
  int St = 0;
  pid_t P = child(7);
  printf("wait4 exited: %d", wait4(P, &St, 0, NULL) == P);
  printf(" code %d\n", WIFEXITED(St) ? WEXITSTATUS(St) : -1);
  P = child(-1);
  kill(P, SIGKILL);
  waitpid(P, &St, 0);
  printf("killed: signalled %d by %d\n", WIFSIGNALED(St), WTERMSIG(St));
  // Stopped and continued, then terminated.
  P = fork();
  if (P == 0) {
    raise(SIGSTOP);
    for (;;)
      pause();
  }
  printf("stopped: %d", waitpid(P, &St, WUNTRACED) == P);
  printf(" by %d\n", WIFSTOPPED(St) ? WSTOPSIG(St) : -1);
  kill(P, SIGCONT);
  printf("continued: %d", waitpid(P, &St, WCONTINUED) == P);
  printf(" %d\n", WIFCONTINUED(St));
  kill(P, SIGTERM);
  printf("terminated: %d", waitpid(P, &St, __WALL) == P);
  printf(" by %d\n", WIFSIGNALED(St) ? WTERMSIG(St) : -1);
  // waitid: exited, WNOHANG with nothing to report, WNOWAIT then reap.
  P = child(3);
  siginfo_t Info;
  memset(&Info, 0, sizeof(Info));
  waitid(P_PID, P, &Info, WEXITED | WNOWAIT);
  printf("waitid nowait: exited %d status %d pid %d\n",
         Info.si_code == CLD_EXITED, Info.si_status, Info.si_pid == P);
  memset(&Info, 0, sizeof(Info));
  waitid(P_PID, P, &Info, WEXITED);
  printf("waitid: exited %d status %d pid %d\n", Info.si_code == CLD_EXITED,
         Info.si_status, Info.si_pid == P);
  pid_t Q = child(-1);
  memset(&Info, 0xff, sizeof(Info));
  printf("waitid WNOHANG: %s", result(waitid(P_PID, Q, &Info, WEXITED | WNOHANG)));
  printf(" pid %d\n", Info.si_pid);
  kill(Q, SIGKILL);
  waitpid(Q, &St, 0);
  printf("wait4 no children: %s\n", result(wait4(-1, &St, 0, NULL)));
  printf("waitid no children: %s\n",
         result(waitid(P_ALL, 0, &Info, WEXITED)));
  // Selectors: 0 (my group), -group, and a bad status pointer.
  P = child(4);
  printf("wait4 group 0: %d\n", wait4(0, &St, 0, NULL) == P);
  P = fork();
  if (P == 0) {
    setpgid(0, 0);
    _exit(5);
  }
  setpgid(P, P);
  printf("wait4 -group: %d", wait4(-P, &St, 0, NULL) == P);
  printf(" code %d\n", WEXITSTATUS(St));
  P = child(6);
  printf("wait4 bad status: %s",
         result(syscall(SYS_wait4, P, (void *)8, 0, NULL)));
  printf(", then %s\n", result(wait4(P, &St, WNOHANG, NULL)));
}

static void sessions(void) {
  int St;
  pid_t P = fork();
  if (P == 0) {
    pid_t Me = getpid();
    printf("child setsid: %d", setsid() == Me);
    printf(" sid %d pgid %d", getsid(0) == Me, getpgid(0) == Me);
    printf(" again %s", result(setsid()));
    printf(" setpgid as leader %s\n", result(setpgid(0, 0)));
    fflush(stdout);
    _exit(0);
  }
  waitpid(P, &St, 0);
  P = fork();
  if (P == 0) {
    setpgid(0, 0);
    printf("group leader setsid: %s\n", result(setsid()));
    fflush(stdout);
    _exit(0);
  }
  waitpid(P, &St, 0);
  // The parent moves a child: its own group, a missing group, not a child.
  P = child(-1);
  printf("setpgid child: %s", result(setpgid(P, P)));
  printf(" getpgid %d", getpgid(P) == P);
  printf(" getsid same %d\n", getsid(P) == getsid(0));
  printf("setpgid missing group: %s\n", result(setpgid(P, 0x3ffffff)));
  printf("setpgid negative: %s\n", result(setpgid(P, -1)));
  pid_t Gone = child(0);
  waitpid(Gone, &St, 0);
  printf("setpgid not a child: %s\n", result(setpgid(Gone, 0)));
  printf("getpgid gone: %s getsid gone: %s\n", result(getpgid(Gone)),
         result(getsid(Gone)));
  kill(P, SIGKILL);
  waitpid(P, &St, 0);
  // A child in another session cannot be moved.
  int Ready[2];
  pipe(Ready);
  P = fork();
  if (P == 0) {
    setsid();
    close(Ready[0]);
    close(Ready[1]);
    for (;;)
      pause();
  }
  close(Ready[1]);
  char B;
  read(Ready[0], &B, 1);
  close(Ready[0]);
  printf("setpgid other session: %s\n", result(setpgid(P, getpgrp())));
  kill(P, SIGKILL);
  waitpid(P, &St, 0);
  // A child that has exec'd: EACCES (the pipe closes at its exec).
  pipe2(Ready, O_CLOEXEC);
  P = fork();
  if (P == 0) {
    close(Ready[0]);
    execl("/bin/sleep", "sleep", "1000", (char *)NULL);
    _exit(127);
  }
  close(Ready[1]);
  read(Ready[0], &B, 1);
  close(Ready[0]);
  printf("setpgid after exec: %s\n", result(setpgid(P, P)));
  kill(P, SIGKILL);
  waitpid(P, &St, 0);
}

static void signals(void) {
  int St;
  sigset_t Block, Empty;
  sigemptyset(&Block);
  sigaddset(&Block, SIGUSR1);
  sigemptyset(&Empty);
  sigprocmask(SIG_BLOCK, &Block, NULL);
  handle(SIGUSR1, 0);
  // Two children in a group of their own, both signalled through it.
  pid_t Kids[2];
  for (int I = 0; I < 2; ++I) {
    Kids[I] = fork();
    if (Kids[I] == 0) {
      while (Got != SIGUSR1)
        sigsuspend(&Empty);
      _exit(10);
    }
    setpgid(Kids[I], Kids[0]);
  }
  printf("kill group: %s\n", result(kill(-Kids[0], SIGUSR1)));
  for (int I = 0; I < 2; ++I) {
    waitpid(Kids[I], &St, 0);
    printf("group member %d got it: %d\n", I, WEXITSTATUS(St) == 10);
  }
  // A child signals its parent, which waits for it in sigsuspend.
  Got = 0;
  pid_t P = fork();
  if (P == 0) {
    _exit(kill(getppid(), SIGUSR1) == 0 ? 0 : 1);
  }
  while (Got != SIGUSR1)
    sigsuspend(&Empty);
  waitpid(P, &St, 0);
  printf("parent got the child's signal: %d, child status %d\n",
         Got == SIGUSR1, WEXITSTATUS(St));
  sigprocmask(SIG_UNBLOCK, &Block, NULL);
  // kill 0 probes, ESRCH, EINVAL.
  P = child(-1);
  printf("probe child: %s\n", result(kill(P, 0)));
  printf("bad signal: %s self: %s\n", result(kill(P, 99)),
         result(kill(getpid(), 99)));
  kill(P, SIGKILL);
  waitpid(P, &St, 0);
  printf("probe reaped: %s\n", result(kill(P, 0)));
  printf("kill reaped: %s\n", result(kill(P, SIGTERM)));
  printf("kill missing group: %s\n", result(kill(-P, SIGTERM)));
  printf("probe init: %s\n", result(kill(1, 0)));
  printf("tgkill other: %s\n", result(syscall(SYS_tgkill, P, P, SIGTERM)));
  // A wait interrupted by a signal (no SA_RESTART): EINTR.
  handle(SIGUSR2, 0);
  Got = 0;
  pid_t Sleeper = child(-1);
  pid_t Sender = fork();
  if (Sender == 0) {
    pid_t Parent = getppid();
    for (;;) {
      kill(Parent, SIGUSR2);
      usleep(20000);
    }
  }
  long R = wait4(Sleeper, &St, 0, NULL);
  printf("wait4 interrupted: %s by %d\n", result(R), Got == SIGUSR2);
  kill(Sender, SIGKILL);
  kill(Sleeper, SIGKILL);
  waitpid(Sender, &St, 0);
  waitpid(Sleeper, &St, 0);
  signal(SIGUSR2, SIG_DFL);
}

static void credentials(void) {
  uid_t R, E, S;
  gid_t GR, GE, GS;
  getresuid(&R, &E, &S);
  getresgid(&GR, &GE, &GS);
  printf("ids agree: %d %d %d %d\n", R == getuid(), E == geteuid(),
         GR == getgid(), GE == getegid());
  printf("getresuid bad pointer: %s\n",
         result(syscall(SYS_getresuid, (void *)8, &E, &S)));
  int St;
  pid_t P = fork();
  if (P == 0) {
    // Dropping privileges (as root) or being refused (as a user).
    long G = setgid(65534), U = setuid(65534);
    printf("root: %d drop: %s %s", getuid() == 0 || R == 0, result(G),
           result(U));
    if (R == 0) {
      printf(" now %u %u", (unsigned)getuid(), (unsigned)geteuid());
      printf(" back: %s", result(setuid(0)));
      printf(" probe parent: %s", result(kill(getppid(), 0)));
    }
    printf("\n");
    fflush(stdout);
    _exit(0);
  }
  waitpid(P, &St, 0);
  printf("setreuid self: %s\n", result(setreuid(-1, E)));
  printf("setresgid self: %s\n", result(setresgid(-1, GE, -1)));
}

static void orphan(FILE *Facts) {
  int Out[2];
  pipe(Out);
  pid_t Middle = fork();
  if (Middle == 0) {
    pid_t Mine = getpid();
    if (fork() == 0) {
      close(Out[0]);
      while (getppid() == Mine)
        usleep(1000);
      int Ppid = getppid();
      write(Out[1], &Ppid, sizeof(Ppid));
      _exit(0);
    }
    _exit(0);
  }
  close(Out[1]);
  int St;
  waitpid(Middle, &St, 0);
  int Ppid = 0;
  printf("orphan reparented: %d\n",
         read(Out[0], &Ppid, sizeof(Ppid)) == sizeof(Ppid) && Ppid != Middle);
  fprintf(Facts, "orphan's parent: %d\n", Ppid);
  close(Out[0]);
}

int main(int Argc, char **Argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  FILE *Facts = fopen(Argc > 1 ? Argv[1] : "/dev/null", "w");
  if (!Facts)
    return 1;
  statuses();
  sessions();
  signals();
  credentials();
  orphan(Facts);
  fclose(Facts);
  printf("done\n");
  return 0;
}
