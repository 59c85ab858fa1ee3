/*===- test/linux/FaultSignals.c - SIGSEGV/SIGBUS stay the program's ------===*
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 *===----------------------------------------------------------------------===*
 *
 * linux-faultsignals MODE DIR: what a program sees of SIGSEGV and SIGBUS
 * while the personality copies to and from its buffers with a copy whose
 * faults it recovers (runtime/linux/FaultSignals.cpp). Each MODE prints
 * what happened; faultsignals.test runs every mode natively (DIR a host
 * folder) and under k42-exec (DIR in K42's /tmp) and compares output and
 * exit status. Modes: handler, default, ignore, blocked, altstack,
 * resethand, masked, partial, ppoll, threads; "query" prints the SIGSEGV action
 *(ignore execs it).
 *
 *===----------------------------------------------------------------------===*/

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

static sigjmp_buf Back;
static volatile int Runs, LastSigno, LastCode, AddrOk, TrapNo, OnAlt;
static volatile int InnerErrno = -1, FixInPlace;
static char *volatile Expected;
static char *volatile FixPage;
static char *AltBase;
static size_t AltSize;
static int Fd = -1;
/* An address no program maps (volatile: the compiler may not see it). */
static void *volatile Bad = (void *)8;

static const char *err(long Result) {
  if (Result >= 0)
    return "ok";
  return errno == EFAULT ? "EFAULT" : strerror(errno);
}

static void onFault(int Signal, siginfo_t *Info, void *Context) {
  ucontext_t *Uc = Context;
  char Here;
  ++Runs;
  LastSigno = Signal;
  LastCode = Info->si_code;
  AddrOk = Info->si_addr == Expected;
  TrapNo = (int)Uc->uc_mcontext.gregs[REG_TRAPNO];
  OnAlt = AltBase && &Here >= AltBase && &Here < AltBase + AltSize;
  /* A bad pointer in a call made while this handler runs, SIGSEGV blocked
     (no SA_NODEFER): still EFAULT, no death. */
  InnerErrno = -1;
  if (Fd >= 0)
    InnerErrno = pread(Fd, Bad, 16, 0) < 0 ? errno : 0;
  if (FixInPlace) {
    mprotect(FixPage, 4096, PROT_READ | PROT_WRITE);
    return;
  }
  siglongjmp(Back, 1);
}

static void catchFaults(int Signal, int Flags) {
  struct sigaction A;
  memset(&A, 0, sizeof(A));
  A.sa_sigaction = onFault;
  A.sa_flags = SA_SIGINFO | Flags;
  sigaction(Signal, &A, NULL);
}

static char *page(int Protection) {
  return mmap(NULL, 4096, Protection, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

/* DIR/f with Size bytes 'a', opened read-write with O_TRUNC (on K42 held
   in the description: pread is served from the process's own copy). */
static void makeFile(const char *Dir, size_t Size) {
  char Path[4096];
  mkdir(Dir, 0755);
  snprintf(Path, sizeof(Path), "%s/f", Dir);
  Fd = open(Path, O_CREAT | O_TRUNC | O_RDWR, 0644);
  char *Bytes = malloc(Size);
  memset(Bytes, 'a', Size);
  if (Fd < 0 || write(Fd, Bytes, Size) != (ssize_t)Size)
    printf("cannot make %s: %s\n", Path, strerror(errno));
  free(Bytes);
}

static void badCopies(const char *Label) {
  char *None = page(PROT_NONE), *ReadOnly = page(PROT_READ);
  char Good[16];
  printf("%s: pread bad %s", Label, err(pread(Fd, Bad, 4096, 0)));
  printf(" none %s", err(pread(Fd, None, 4096, 0)));
  printf(" read-only %s", err(pread(Fd, ReadOnly, 4096, 0)));
  printf(" write bad %s", err(pwrite(Fd, Bad, 16, 0)));
  printf(" good %ld\n", (long)pread(Fd, Good, sizeof(Good), 0));
  munmap(None, 4096);
  munmap(ReadOnly, 4096);
}

static void faultAt(char *Address) {
  Expected = Address;
  if (!sigsetjmp(Back, 1)) {
    *(volatile char *)Address = 1;
    printf("no fault\n");
  }
}

static void report(const char *Label) {
  printf("%s: runs %d signo %d code %d addr %s trapno %d inner %s\n", Label,
         Runs, LastSigno, LastCode, AddrOk ? "right" : "wrong", TrapNo,
         InnerErrno == EFAULT ? "EFAULT"
         : InnerErrno < 0     ? "none"
                              : "other");
}

static void handlerMode(const char *Dir) {
  makeFile(Dir, 4096);
  catchFaults(SIGSEGV, 0);
  catchFaults(SIGBUS, 0);
  struct sigaction Q;
  sigaction(SIGSEGV, NULL, &Q);
  printf("action kept %d\n",
         Q.sa_sigaction == onFault && (Q.sa_flags & SA_SIGINFO) != 0);
  badCopies("handler set");
  printf("runs after bad copies %d\n", Runs);
  char *None = page(PROT_NONE);
  faultAt(None + 123);
  report("own fault");
  faultAt(None + 9);
  report("again");
  /* The handler repairs the page and returns: the store is made again. */
  FixInPlace = 1;
  FixPage = None;
  Expected = None + 7;
  *(volatile char *)(None + 7) = 42;
  FixInPlace = 0;
  printf("fixed in place %d runs %d\n", None[7], Runs);
  /* SIGBUS: a shared mapping of an empty memfd. */
  int Memfd = memfd_create("k42-faultsignals", 0);
  char *Bus = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, Memfd, 0);
  Expected = Bus + 5;
  if (!sigsetjmp(Back, 1))
    (void)*(volatile char *)(Bus + 5);
  report("bus");
  printf("pread into bus page %s\n", err(pread(Fd, Bus, 100, 0)));
  Expected = NULL;
  if (!sigsetjmp(Back, 1))
    kill(getpid(), SIGSEGV);
  printf("kill: runs %d code %s\n", Runs,
         LastCode == SI_USER ? "SI_USER" : "other");
  badCopies("after");
}

static void defaultMode(const char *Dir) {
  makeFile(Dir, 4096);
  badCopies("default");
  *(volatile char *)page(PROT_NONE) = 1;
  printf("survived\n");
}

static void queryMode(void) {
  struct sigaction Q;
  sigaction(SIGSEGV, NULL, &Q);
  printf("exec'd program: SIGSEGV %s\n", Q.sa_handler == SIG_IGN   ? "SIG_IGN"
                                         : Q.sa_handler == SIG_DFL ? "SIG_DFL"
                                                                   : "handler");
}

static void ignoreMode(const char *Dir, const char *Self) {
  makeFile(Dir, 4096);
  signal(SIGSEGV, SIG_IGN);
  struct sigaction Q;
  sigaction(SIGSEGV, NULL, &Q);
  printf("ignored %d\n", Q.sa_handler == SIG_IGN);
  badCopies("ignore");
  kill(getpid(), SIGSEGV);
  printf("survived kill\n");
  /* An ignored kill that arrives while the process blocks in read does not
     cut the read short: the child waits until the parent is in read (its
     /proc syscall line starts with 0), then kills, then writes. */
  int Pair[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, Pair);
  pid_t Parent = getpid(), Killer = fork();
  if (Killer == 0) {
    char Path[64], Line[32];
    snprintf(Path, sizeof(Path), "/proc/%d/syscall", (int)Parent);
    for (int I = 0; I < 1000000; ++I) {
      int Proc = open(Path, O_RDONLY);
      ssize_t Got = read(Proc, Line, sizeof(Line) - 1);
      close(Proc);
      if (Got > 2 && !strncmp(Line, "0 ", 2))
        break;
      sched_yield();
    }
    kill(Parent, SIGSEGV);
    write(Pair[1], "x", 1);
    _exit(0);
  }
  char Byte = 0;
  ssize_t Got = read(Pair[0], &Byte, 1);
  printf("read across an ignored kill %ld %s\n", (long)Got,
         Got < 0 ? strerror(errno) : "");
  waitpid(Killer, NULL, 0);
  pid_t Child = fork();
  if (Child == 0) {
    execl(Self, Self, "query", Dir, (char *)NULL);
    _exit(127);
  }
  int Status;
  waitpid(Child, &Status, 0);
  /* A fault is forced: an ignored SIGSEGV kills. */
  *(volatile char *)page(PROT_NONE) = 1;
  printf("survived fault\n");
}

static void blockedMode(const char *Dir) {
  makeFile(Dir, 4096);
  catchFaults(SIGSEGV, 0);
  sigset_t Set, Now, Pending;
  sigemptyset(&Set);
  sigaddset(&Set, SIGSEGV);
  sigprocmask(SIG_BLOCK, &Set, NULL);
  sigprocmask(SIG_BLOCK, NULL, &Now);
  printf("blocked %d\n", sigismember(&Now, SIGSEGV));
  badCopies("blocked");
  kill(getpid(), SIGSEGV);
  sigpending(&Pending);
  printf("pending %d runs %d\n", sigismember(&Pending, SIGSEGV), Runs);
  Expected = NULL;
  if (!sigsetjmp(Back, 1))
    sigprocmask(SIG_UNBLOCK, &Set, NULL);
  printf("unblocked: runs %d code %s\n", Runs,
         LastCode == SI_USER ? "SI_USER" : "other");
  sigprocmask(SIG_BLOCK, NULL, &Now);
  printf("blocked again %d\n", sigismember(&Now, SIGSEGV));
  /* A fault with SIGSEGV blocked: the kernel forces the default. */
  *(volatile char *)page(PROT_NONE) = 1;
  printf("survived fault\n");
}

/* Deeper than any stack: stops only by a fault (the bound is for the
   compiler). */
static volatile int DepthLimit = 1 << 30;
static int recurse(int Depth) {
  volatile char Frame[4096];
  if (Depth > DepthLimit)
    return 0;
  Frame[0] = (char)Depth;
  return recurse(Depth + 1) + Frame[0];
}

/* A handler on the alternate stack with SIGSEGV not blocked: a bad
   pointer there faults the personality's copy on that stack. */
static void onUsr1(int Signal) {
  char Here;
  (void)Signal;
  OnAlt = AltBase && &Here >= AltBase && &Here < AltBase + AltSize;
  InnerErrno = pread(Fd, Bad, 16, 0) < 0 ? errno : 0;
}

static void altstackMode(const char *Dir) {
  makeFile(Dir, 4096);
  /* Room for the personality's handlers too (see runtime/linux/README). */
  AltSize = 256 * 1024;
  AltBase = malloc(AltSize);
  stack_t Alt = {.ss_sp = AltBase, .ss_size = AltSize, .ss_flags = 0};
  sigaltstack(&Alt, NULL);
  catchFaults(SIGSEGV, SA_ONSTACK);
  char *None = page(PROT_NONE);
  faultAt(None + 64);
  report("on altstack");
  printf("handler on the alternate stack %d\n", OnAlt);
  badCopies("altstack");
  struct sigaction Usr1;
  memset(&Usr1, 0, sizeof(Usr1));
  Usr1.sa_handler = onUsr1;
  Usr1.sa_flags = SA_ONSTACK;
  sigaction(SIGUSR1, &Usr1, NULL);
  OnAlt = 0;
  raise(SIGUSR1);
  printf("SIGUSR1 handler on the alternate stack %d, inner %s\n", OnAlt,
         InnerErrno == EFAULT ? "EFAULT" : "other");
  Expected = NULL;
  OnAlt = 0;
  if (!sigsetjmp(Back, 1))
    printf("recursed %d\n", recurse(0));
  printf("stack overflow caught, on the alternate stack %d, inner %s\n", OnAlt,
         InnerErrno == EFAULT ? "EFAULT" : "other");
}

/* A SIGUSR1 handler whose sa_mask blocks SIGSEGV: its bad pointer must be
   EFAULT, not a fault that kills. */
static void onMaskedUsr1(int Signal) {
  (void)Signal;
  InnerErrno = pread(Fd, Bad, 16, 0) < 0 ? errno : 0;
}

/* Handlers whose sa_mask blocks every signal, SIGSEGV and SIGBUS among
   them (glibc's signal() blocks the signal itself; gcc's cc1 catches
   SIGSEGV so; dash gives every action it sets a full mask, SIG_DFL ones
   included): bad pointers outside them and inside them are EFAULT. */
static void maskedMode(const char *Dir) {
  makeFile(Dir, 4096);
  struct sigaction A;
  memset(&A, 0, sizeof(A));
  A.sa_sigaction = onFault;
  A.sa_flags = SA_SIGINFO;
  sigfillset(&A.sa_mask);
  sigaction(SIGSEGV, &A, NULL);
  sigaction(SIGBUS, &A, NULL);
  badCopies("masked");
  char *None = page(PROT_NONE);
  faultAt(None + 1);
  report("own fault");
  int Memfd = memfd_create("k42-faultsignals", 0);
  char *Bus = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, Memfd, 0);
  Expected = Bus + 3;
  if (!sigsetjmp(Back, 1))
    (void)*(volatile char *)(Bus + 3);
  report("bus");
  badCopies("after");
  struct sigaction Usr1, Quit;
  memset(&Usr1, 0, sizeof(Usr1));
  Usr1.sa_handler = onMaskedUsr1;
  sigfillset(&Usr1.sa_mask);
  sigaction(SIGUSR1, &Usr1, NULL);
  memset(&Quit, 0, sizeof(Quit));
  Quit.sa_handler = SIG_DFL;
  sigfillset(&Quit.sa_mask);
  sigaction(SIGQUIT, &Quit, NULL);
  InnerErrno = -1;
  raise(SIGUSR1);
  printf("SIGUSR1 handler blocking SIGSEGV: inner %s\n",
         InnerErrno == EFAULT ? "EFAULT" : "other");
  badCopies("after SIGUSR1");
}

static void resethandMode(const char *Dir) {
  makeFile(Dir, 4096);
  catchFaults(SIGSEGV, SA_RESETHAND);
  char *None = page(PROT_NONE);
  faultAt(None);
  report("once");
  struct sigaction Q;
  sigaction(SIGSEGV, NULL, &Q);
  printf("reset to SIG_DFL %d\n", Q.sa_handler == SIG_DFL);
  badCopies("reset");
  faultAt(None);
  printf("survived second fault\n");
}

static void partialReads(const char *Label) {
  /* Two pages, the second unmapped: the copy stops at the boundary. */
  char *Map = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  munmap(Map + 4096, 4096);
  printf("%s: pread whole %ld", Label, (long)pread(Fd, Map, 8192, 0));
  printf(" straddle %ld", (long)pread(Fd, Map + 4000, 200, 0));
  lseek(Fd, 0, SEEK_SET);
  long Got = read(Fd, Map + 4000, 200);
  printf(" read straddle %ld offset %ld", Got, (long)lseek(Fd, 0, SEEK_CUR));
  printf(" unmapped %s\n", err(pread(Fd, Map + 4096, 100, 0)));
  munmap(Map, 4096);
}

static void partialMode(const char *Dir) {
  makeFile(Dir, 8192);
  partialReads("held");
  char *Map = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  memset(Map, 'b', 8192);
  munmap(Map + 4096, 4096);
  printf("pwrite straddle %ld", (long)pwrite(Fd, Map + 4000, 200, 0));
  char Check[100];
  pread(Fd, Check, 100, 0);
  printf(" first %c last %c\n", Check[0], Check[95]);
  close(Fd);
  char Path[4096];
  snprintf(Path, sizeof(Path), "%s/f", Dir);
  Fd = open(Path, O_RDONLY);
  partialReads("server");
}

static int Handled[2];

static void onUsr1Copy(int Signal) {
  (void)Signal;
  InnerErrno = pread(Fd, Bad, 16, 0) < 0 ? errno : 0;
  write(Handled[1], "h", 1);
}

/* ppoll with a mask that blocks SIGSEGV: a handler that runs while it
   waits has SIGSEGV blocked, and a bad pointer it passes is still EFAULT.
   The child signals once the parent waits (its /proc syscall line shows
   ppoll, or futex_waitv where the personality polls a K42 pipe), and
   makes the pipe readable only once the handler has run, so that ppoll
   cannot return before it (a signal and data both there: ppoll answers
   the data and the signal stays blocked). */
static void ppollMode(const char *Dir) {
  makeFile(Dir, 4096);
  struct sigaction Usr1;
  memset(&Usr1, 0, sizeof(Usr1));
  Usr1.sa_handler = onUsr1Copy;
  sigaction(SIGUSR1, &Usr1, NULL);
  sigset_t Usual, During;
  sigemptyset(&Usual);
  sigaddset(&Usual, SIGUSR1);
  sigprocmask(SIG_BLOCK, &Usual, NULL);
  int Pipe[2];
  pipe(Pipe);
  pipe(Handled);
  pid_t Parent = getpid(), Signaller = fork();
  if (Signaller == 0) {
    char Path[64], Line[32];
    snprintf(Path, sizeof(Path), "/proc/%d/syscall", (int)Parent);
    for (int I = 0; I < 1000000; ++I) {
      int Proc = open(Path, O_RDONLY);
      ssize_t Got = read(Proc, Line, sizeof(Line) - 1);
      close(Proc);
      if (Got > 4 && (!strncmp(Line, "271 ", 4) || !strncmp(Line, "449 ", 4)))
        break;
      sched_yield();
    }
    kill(Parent, SIGUSR1);
    char Byte;
    read(Handled[0], &Byte, 1);
    write(Pipe[1], "x", 1);
    _exit(0);
  }
  sigemptyset(&During);
  sigaddset(&During, SIGSEGV);
  struct pollfd Wait = {.fd = Pipe[0], .events = POLLIN};
  ppoll(&Wait, 1, NULL, &During);
  printf("handler during ppoll, SIGSEGV blocked: inner %s\n",
         InnerErrno == EFAULT ? "EFAULT"
         : InnerErrno < 0     ? "none"
                              : "other");
  waitpid(Signaller, NULL, 0);
}

static void *thread(void *Unused) {
  (void)Unused;
  sigset_t Now;
  pthread_sigmask(SIG_BLOCK, NULL, &Now);
  printf("thread: inherited blocked %d", sigismember(&Now, SIGSEGV));
  printf(" pread bad %s", err(pread(Fd, Bad, 16, 0)));
  pthread_sigmask(SIG_UNBLOCK, &Now, NULL);
  printf(" unblocked, pread bad %s\n", err(pread(Fd, Bad, 16, 0)));
  return NULL;
}

static void threadsMode(const char *Dir) {
  makeFile(Dir, 4096);
  sigset_t Set;
  sigemptyset(&Set);
  sigaddset(&Set, SIGSEGV);
  pthread_sigmask(SIG_BLOCK, &Set, NULL);
  pthread_t T;
  pthread_create(&T, NULL, thread, NULL);
  pthread_join(T, NULL);
  pthread_sigmask(SIG_UNBLOCK, &Set, NULL);
  badCopies("main");
}

int main(int Argc, char **Argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (Argc != 3) {
    fprintf(stderr, "usage: linux-faultsignals MODE DIR\n");
    return 2;
  }
  const char *Mode = Argv[1], *Dir = Argv[2];
  if (!strcmp(Mode, "handler"))
    handlerMode(Dir);
  else if (!strcmp(Mode, "default"))
    defaultMode(Dir);
  else if (!strcmp(Mode, "query"))
    queryMode();
  else if (!strcmp(Mode, "ignore"))
    ignoreMode(Dir, Argv[0]);
  else if (!strcmp(Mode, "blocked"))
    blockedMode(Dir);
  else if (!strcmp(Mode, "altstack"))
    altstackMode(Dir);
  else if (!strcmp(Mode, "resethand"))
    resethandMode(Dir);
  else if (!strcmp(Mode, "masked"))
    maskedMode(Dir);
  else if (!strcmp(Mode, "partial"))
    partialMode(Dir);
  else if (!strcmp(Mode, "ppoll"))
    ppollMode(Dir);
  else if (!strcmp(Mode, "threads"))
    threadsMode(Dir);
  else
    return 2;
  return 0;
}
