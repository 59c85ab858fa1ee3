#define _GNU_SOURCE
// A program's signal handlers that make K42 calls (SignalDefer.h): the
// personality's handler stands in for the program's on the host.
//
//   linux-signaldefer DIR
//
// query: sigaction answers with the program's own handler and flags.
// eintr: a read of an empty pipe is interrupted by SIGALRM, whose handler
//        (no SA_RESTART) appends to a file in DIR: EINTR, as on Linux.
// alarm: alarm(1) and a read of an empty pipe, three times, each in a
//        child: the personality's wait for the pipe ends every second to
//        look at the server, so the alarm often came just as a wait ended
//        (the wait's own result, not EINTR): the read went on for ever.
// selfpipe: the self-pipe trick: a child reads a non-blocking pipe in a
//        loop while a 200 us timer's handler writes a byte to that pipe,
//        5000 times (the pipe's lock, which the loop's reads hold). Hung
//        7 runs in 7 before (battery 29; Python's set_wakeup_fd, libuv).
// samefd: a child writes lines to a file in DIR while a 1 ms timer's
//        handler writes to the same descriptor (whose description's lock
//        the main loop's writes hold): it must finish (killed after 10 s
//        and counted hung otherwise), every line whole.
// busy:  5 children each loop making, writing and removing files in DIR
//        while the parent sends each 100 SIGUSR1s, whose handler appends a
//        byte to a file of the child's. A handler that waited for a lock
//        its own thread held hung the child for ever; a child still
//        running 10 s after it was told to stop is killed and counted.
#include "AwaitChild.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char Dir[4096];
static volatile sig_atomic_t Stop;

static void appendOne(const char *Name) {
  char Path[4200];
  size_t N = strlen(Dir);
  memcpy(Path, Dir, N);
  Path[N] = '/';
  strcpy(Path + N + 1, Name);
  int Fd = open(Path, O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (Fd >= 0) {
    (void)write(Fd, "s", 1);
    close(Fd);
  }
}

static void onUsr1(int Signal) {
  (void)Signal;
  int Saved = errno;
  appendOne("sig");
  errno = Saved;
}
static void onInfo(int Signal, siginfo_t *Info, void *Context) {
  (void)Signal, (void)Info, (void)Context;
}
static void onAlarm(int Signal) {
  (void)Signal;
  appendOne("alarm");
}
static void onUsr2(int Signal) {
  (void)Signal;
  Stop = 1;
}

static long sizeOf(const char *Name) {
  char Path[4200];
  snprintf(Path, sizeof Path, "%s/%s", Dir, Name);
  struct stat Info;
  return stat(Path, &Info) == 0 ? (long)Info.st_size : -1;
}

static void query(void) {
  struct sigaction A = {0}, Old;
  A.sa_handler = onUsr1;
  A.sa_flags = SA_RESTART;
  sigaction(SIGUSR1, &A, NULL);
  sigaction(SIGUSR1, NULL, &Old);
  printf("query plain: handler %s, SA_SIGINFO %d, SA_RESTART %d\n",
         Old.sa_handler == onUsr1 ? "own" : "other",
         !!(Old.sa_flags & SA_SIGINFO), !!(Old.sa_flags & SA_RESTART));
  A.sa_sigaction = onInfo;
  A.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR1, &A, &Old);
  printf("query replaced: handler %s\n",
         Old.sa_handler == onUsr1 ? "own" : "other");
  sigaction(SIGUSR1, NULL, &Old);
  printf("query siginfo: handler %s, SA_SIGINFO %d, SA_RESTART %d\n",
         Old.sa_sigaction == onInfo ? "own" : "other",
         !!(Old.sa_flags & SA_SIGINFO), !!(Old.sa_flags & SA_RESTART));
  signal(SIGUSR1, SIG_DFL);
}

static void eintr(void) {
  int P[2];
  if (pipe(P) != 0)
    return;
  struct sigaction A = {0};
  A.sa_handler = onAlarm;
  sigaction(SIGALRM, &A, NULL);
  struct itimerval T = {{0, 0}, {0, 50000}};
  setitimer(ITIMER_REAL, &T, NULL);
  char C;
  long Got = read(P[0], &C, 1);
  printf("eintr: read %ld %s, handler wrote %ld\n", Got,
         Got < 0 && errno == EINTR ? "EINTR" : "other", sizeOf("alarm"));
  close(P[0]);
  close(P[1]);
}

/// SIGALRM to \p Handler (SA_RESTART) every \p Micros microseconds.
static void tickEvery(void (*Handler)(int), long Micros) {
  struct sigaction A = {0};
  A.sa_handler = Handler;
  A.sa_flags = SA_RESTART;
  sigaction(SIGALRM, &A, NULL);
  struct itimerval T = {{0, Micros}, {0, Micros}};
  setitimer(ITIMER_REAL, &T, NULL);
}

static int SameFd;
static void onTick(int Signal) {
  (void)Signal;
  int Saved = errno;
  (void)write(SameFd, "tick\n", 5);
  errno = Saved;
}

/// Waits up to 10 s for \p Child: "finished" (exit 0), "failed", or
/// "hung" (killed).
static const char *finished(pid_t Child) {
  int Status = 0;
  if (!awaitChild(Child, 10, &Status))
    return "hung";
  return WIFEXITED(Status) && WEXITSTATUS(Status) == 0 ? "finished" : "failed";
}

static void samefd(void) {
  char Path[4200];
  snprintf(Path, sizeof Path, "%s/samefd", Dir);
  pid_t Child = fork();
  if (Child == 0) {
    SameFd = open(Path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    tickEvery(onTick, 1000);
    for (int I = 0; I < 5000; ++I)
      if (write(SameFd, "line\n", 5) != 5)
        _exit(1);
    struct itimerval Off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &Off, NULL);
    _exit(close(SameFd) != 0);
  }
  const char *How = finished(Child);
  FILE *In = fopen(Path, "r");
  char Line[64];
  int Lines = 0, Whole = 1;
  while (In && fgets(Line, sizeof Line, In)) {
    Lines += strcmp(Line, "line\n") == 0;
    Whole &= strcmp(Line, "line\n") == 0 || strcmp(Line, "tick\n") == 0;
  }
  if (In)
    fclose(In);
  printf("samefd: %s, lines %d, all whole %d\n", How, Lines, Whole);
}

static void onQuietAlarm(int Signal) { (void)Signal; }

static void alarmRead(void) {
  int Interrupted = 0, Hung = 0;
  for (int Round = 0; Round < 3; ++Round) {
    pid_t Child = fork();
    if (Child == 0) {
      int P[2];
      if (pipe(P) != 0)
        _exit(2);
      struct sigaction A = {0};
      A.sa_handler = onQuietAlarm;
      sigaction(SIGALRM, &A, NULL);
      alarm(1);
      char C;
      _exit(read(P[0], &C, 1) < 0 && errno == EINTR ? 0 : 1);
    }
    const char *How = finished(Child);
    Interrupted += strcmp(How, "finished") == 0;
    Hung += strcmp(How, "hung") == 0;
  }
  printf("alarm: read interrupted %d of 3, hung %d\n", Interrupted, Hung);
}

static int SelfPipe[2];
static volatile sig_atomic_t Ticks;
static void onSelfTick(int Signal) {
  (void)Signal;
  int Saved = errno;
  char C = 'x';
  (void)write(SelfPipe[1], &C, 1);
  ++Ticks;
  errno = Saved;
}

static void selfPipe(void) {
  pid_t Child = fork();
  if (Child == 0) {
    if (pipe2(SelfPipe, O_NONBLOCK) != 0)
      _exit(2);
    tickEvery(onSelfTick, 200);
    char Buffer[4096];
    long Got = 0;
    while (Ticks < 5000) {
      long N = read(SelfPipe[0], Buffer, sizeof Buffer);
      if (N > 0)
        Got += N;
    }
    struct itimerval Off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &Off, NULL);
    _exit(Got > 0 ? 0 : 1);
  }
  printf("selfpipe: %s\n", finished(Child));
}

static void busyChild(int K) {
  snprintf(Dir + strlen(Dir), 64, "/c%d", K);
  mkdir(Dir, 0755);
  struct sigaction A = {0};
  A.sa_handler = onUsr1;
  A.sa_flags = SA_RESTART;
  sigaction(SIGUSR1, &A, NULL);
  A.sa_handler = onUsr2;
  sigaction(SIGUSR2, &A, NULL);
  char Path[4200];
  for (long J = 0; !Stop; ++J) {
    snprintf(Path, sizeof Path, "%s/f%ld", Dir, J % 20);
    int Fd = open(Path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (Fd >= 0) {
      (void)write(Fd, "xxxx", 4);
      close(Fd);
    }
    unlink(Path);
  }
  _exit(0);
}

static void busy(void) {
  enum { Children = 5, Signals = 100 };
  pid_t Kids[Children];
  for (int K = 0; K < Children; ++K)
    if ((Kids[K] = fork()) == 0)
      busyChild(K);
  usleep(100000);
  for (int S = 0; S < Signals; ++S) {
    for (int K = 0; K < Children; ++K)
      kill(Kids[K], SIGUSR1);
    usleep(2000);
  }
  usleep(50000);
  int Hung = 0, Bad = 0, Sane = 1;
  for (int K = 0; K < Children; ++K) {
    kill(Kids[K], SIGUSR2);
    const char *How = finished(Kids[K]);
    Hung += strcmp(How, "hung") == 0;
    Bad += strcmp(How, "failed") == 0;
    char Name[32];
    snprintf(Name, sizeof Name, "c%d/sig", K);
    long Bytes = sizeOf(Name);
    Sane &= Bytes >= 1 && Bytes <= Signals;
  }
  printf("busy: children %d hung %d failed %d counts %s\n", Children, Hung, Bad,
         Sane ? "sane" : "NOT sane");
}

int main(int Argc, char **Argv) {
  if (Argc != 2) {
    fprintf(stderr, "usage: %s DIR\n", Argv[0]);
    return 2;
  }
  snprintf(Dir, sizeof Dir, "%s", Argv[1]);
  setvbuf(stdout, NULL, _IONBF, 0);
  query();
  eintr();
  alarmRead();
  selfPipe();
  samefd();
  busy();
  return 0;
}
