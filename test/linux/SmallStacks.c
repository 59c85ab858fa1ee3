// test/linux/SmallStacks.c: system calls made where the caller has little
// stack, natively on a host folder and on K42's /tmp under the personality,
// where a K42 call's handler runs in the caller's thread. What it prints
// must be the same.
//
//   linux-smallstacks depth DIR   how deep below the caller's frame each
//                                  call writes (a thread on a painted
//                                  stack): at most 20 KiB more than a
//                                  thread that makes no call
//   linux-smallstacks threads DIR each call from a thread with a 16 KiB
//                                  stack
//   linux-smallstacks alt DIR     path calls from a handler on an 8 KiB
//                                  alternate stack (nothing mapped below)
//   linux-smallstacks nested DIR  a handler on an 8 KiB alternate stack
//                                  blocks opening a FIFO; a timer's
//                                  handler, also SA_ONSTACK, interrupts it
//                                  and stats a file: it must run below the
//                                  first handler's frames, not over them
//   linux-smallstacks exec DIR    a handler on an 8 KiB alternate stack
//                                  execs a shell
//   linux-smallstacks empty DIR   a handler that does nothing, on
//                                  alternate stacks of 4-6 KiB
//   linux-smallstacks where DIR   where the handlers of a thread busy
//                                  opening files run
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

static const char *Dir;
static char File[512], Other[512], Sub[512], Fifo[512];
static int Fd, Pipe[2];

/// The calls, by number; each returns a value to print (an errno negated).
static const char *const Names[] = {
    "none",     "write",    "fstat",  "poll",     "select", "pipe-rw",
    "stat",     "lstat",    "open",   "creat",    "mkdir",  "rename",
    "getdents", "readlink", "access", "getxattr", "link",   "symlink",
    "chmod",    "truncate", "chdir",  "statfs",   "unlink", "utimens"};
enum { NumCalls = sizeof(Names) / sizeof(Names[0]) };

static long result(long R) { return R < 0 ? -errno : R; }

static long call(int Which) {
  struct stat St;
  char Buffer[256];
  switch (Which) {
  case 0:
    return 0;
  case 1:
    return result(pwrite(Fd, "x", 1, 0));
  case 2:
    return result(fstat(Fd, &St)) == 0 ? (long)St.st_size : -1;
  case 3: {
    char One;
    if (write(Pipe[1], "p", 1) != 1)
      return -100;
    struct pollfd Ready = {Pipe[0], POLLIN, 0};
    long R = result(poll(&Ready, 1, 0));
    return R * 10 + (read(Pipe[0], &One, 1) == 1);
  }
  case 4: {
    fd_set Set;
    FD_ZERO(&Set);
    FD_SET(Pipe[0], &Set);
    struct timeval Zero = {0, 0};
    return result(select(Pipe[0] + 1, &Set, 0, 0, &Zero));
  }
  case 5: {
    char One;
    return result(write(Pipe[1], "y", 1)) + result(read(Pipe[0], &One, 1));
  }
  case 6:
    return result(stat(File, &St)) == 0 ? (long)St.st_size : -1;
  case 7:
    return result(lstat(File, &St)) == 0 ? (long)S_ISREG(St.st_mode) : -1;
  case 8: {
    int New = open(File, O_RDONLY);
    return New < 0 ? -errno : close(New) == 0;
  }
  case 9: {
    int New = open(Other, O_CREAT | O_WRONLY, 0644);
    return New < 0 ? -errno : (close(New) == 0) + result(unlink(Other));
  }
  case 10:
    return result(mkdir(Sub, 0755)) + result(rmdir(Sub));
  case 11:
    return result(rename(File, Other)) + result(rename(Other, File));
  case 12: {
    int D = open(Dir, O_RDONLY | O_DIRECTORY);
    if (D < 0)
      return -errno;
    long N = result(syscall(SYS_getdents64, D, Buffer, sizeof(Buffer)));
    close(D);
    return N > 0;
  }
  case 13:
    return result(readlink(File, Buffer, sizeof(Buffer)));
  case 14:
    return result(access(File, R_OK));
  case 15:
    return result(getxattr(File, "user.none", Buffer, sizeof(Buffer)));
  case 16:
    return result(link(File, Other)) + result(unlink(Other));
  case 17:
    return result(symlink(File, Other)) + result(unlink(Other));
  case 18:
    return result(chmod(File, 0644));
  case 19:
    return result(truncate(File, 1));
  case 20: {
    long R = result(chdir(Dir));
    return R == 0 && getcwd(Buffer, sizeof(Buffer)) ? 1 : R;
  }
  case 21: {
    struct stat Before;
    return result(stat(Dir, &Before)) == 0 && S_ISDIR(Before.st_mode);
  }
  case 22:
    return result(unlink(Other));
  case 23:
    return result(utimensat(AT_FDCWD, File, NULL, 0));
  }
  return -1000;
}

static void setUp(const char *Folder) {
  Dir = Folder;
  mkdir(Dir, 0755);
  snprintf(File, sizeof(File), "%s/file", Dir);
  snprintf(Other, sizeof(Other), "%s/other", Dir);
  snprintf(Sub, sizeof(Sub), "%s/sub", Dir);
  snprintf(Fifo, sizeof(Fifo), "%s/fifo", Dir);
  Fd = open(File, O_CREAT | O_RDWR | O_TRUNC, 0644);
  if (Fd < 0 || pwrite(Fd, "x", 1, 0) != 1 || pipe(Pipe) != 0) {
    perror("set-up");
    exit(2);
  }
}

static int Which;
static long Answer;

static void *thread(void *Unused) {
  (void)Unused;
  Answer = call(Which);
  return NULL;
}

/// Runs call(Which) in a thread on \p Stack (\p Bytes), in a child
/// process: a call that overruns the stack kills only the child.
static void inThread(void *Stack, size_t Bytes) {
  pthread_attr_t Attr;
  pthread_attr_init(&Attr);
  if (Stack)
    pthread_attr_setstack(&Attr, Stack, Bytes);
  else
    pthread_attr_setstacksize(&Attr, Bytes);
  pthread_t T;
  if (pthread_create(&T, &Attr, thread, NULL) != 0 ||
      pthread_join(T, NULL) != 0) {
    printf("no thread\n");
    exit(2);
  }
}

static int depth(void) {
  enum { Bytes = 1 << 20, Room = 20 * 1024 };
  unsigned char *Stack = aligned_alloc(4096, Bytes);
  size_t Used[NumCalls];
  for (Which = 0; Which < NumCalls; ++Which) {
    memset(Stack, 0xa5, Bytes);
    // Twice: the first call of a kind may set up what later ones use.
    inThread(Stack, Bytes);
    inThread(Stack, Bytes);
    size_t Low = 0;
    while (Low < Bytes && Stack[Low] == 0xa5)
      ++Low;
    Used[Which] = Bytes - Low;
  }
  for (Which = 1; Which < NumCalls; ++Which)
    printf("%-9s %s\n", Names[Which],
           Used[Which] <= Used[0] + Room ? "within 20 KiB" : "deeper");
  return 0;
}

/// Each call, one child process each (a call that overruns its stack
/// kills only the child): \p Make runs it in the child, and the child
/// prints its answer.
static void eachInChild(void (*Make)(void)) {
  for (Which = 1; Which < NumCalls; ++Which) {
    fflush(stdout);
    pid_t Child = fork();
    if (Child == 0) {
      Make();
      printf("%-9s %ld\n", Names[Which], Answer);
      fflush(stdout);
      _exit(0);
    }
    int Status;
    waitpid(Child, &Status, 0);
    if (!WIFEXITED(Status))
      printf("%-9s killed by signal %d\n", Names[Which], WTERMSIG(Status));
  }
}

static void inSmallThread(void) {
  size_t Bytes = 16384;
  if (Bytes < (size_t)PTHREAD_STACK_MIN)
    Bytes = PTHREAD_STACK_MIN;
  inThread(NULL, Bytes);
}

static int threads(void) {
  eachInChild(inSmallThread);
  return 0;
}

/// The alternate stacks' size: 8 KiB, or the command line's third word
/// (a static program's trapped calls put a second signal frame there).
static size_t AltBytes = 8192;

/// An alternate stack with nothing mapped for 64 KiB below it.
static void alternateStack(void) {
  enum { Below = 64 * 1024 };
  size_t Size = AltBytes;
  char *Map = mmap(NULL, Below + Size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (Map == MAP_FAILED || munmap(Map, Below) != 0) {
    perror("mmap");
    exit(2);
  }
  stack_t Alt = {.ss_sp = Map + Below, .ss_size = Size, .ss_flags = 0};
  if (sigaltstack(&Alt, NULL) != 0) {
    perror("sigaltstack");
    exit(2);
  }
}

static void onStack(int Signal, void (*Handler)(int), int Flags) {
  struct sigaction Action;
  memset(&Action, 0, sizeof(Action));
  Action.sa_handler = Handler;
  Action.sa_flags = SA_ONSTACK | Flags;
  sigaction(Signal, &Action, NULL);
}

static void callFromHandler(int Signal) {
  (void)Signal;
  Answer = call(Which);
}

static void inHandler(void) {
  alternateStack();
  onStack(SIGUSR1, callFromHandler, 0);
  raise(SIGUSR1);
}

static int alt(void) {
  eachInChild(inHandler);
  return 0;
}

static volatile sig_atomic_t Ran;

static void nothing(int Signal) {
  (void)Signal;
  Ran = 1;
}

/// A handler that does nothing on alternate stacks of 4-6 KiB (Linux
/// needs AT_MINSIGSTKSZ, 3,376 bytes here): its return was trapped (the
/// program's restorer's rt_sigreturn), a second signal frame on the
/// stack, and the process died of SIGSEGV below 6.5 KiB.
static int empty(void) {
  static const size_t Sizes[] = {4096, 5120, 6144};
  for (size_t I = 0; I < sizeof(Sizes) / sizeof(Sizes[0]); ++I) {
    fflush(stdout);
    pid_t Child = fork();
    if (Child == 0) {
      AltBytes = Sizes[I];
      alternateStack();
      onStack(SIGUSR1, nothing, 0);
      raise(SIGUSR1);
      printf("empty handler on %zu bytes: ran %d\n", Sizes[I], (int)Ran);
      fflush(stdout);
      _exit(0);
    }
    int Status;
    waitpid(Child, &Status, 0);
    if (!WIFEXITED(Status))
      printf("empty handler on %zu bytes: killed by signal %d\n", Sizes[I],
             WTERMSIG(Status));
  }
  return 0;
}

/// where: a thread opens and closes a file in a loop while the main
/// thread signals it; each handler looks where it runs. Linux runs it on
/// the thread's own stack (or on its alternate stack, which sigaltstack
/// then reports); the personality's deep calls run on a stack of its own,
/// and a handler that came during one ran there (battery 42).
enum { WhereStack = 1 << 20, WhereAlt = 64 * 1024, WhereSignals = 2000 };
static char *WhereLow, *AltLow;
static atomic_int Handled, Stop, Outside, OtherAlt, Ready;

static void where(int Signal) {
  (void)Signal;
  char Here;
  if (AltLow) {
    stack_t Now;
    if (&Here < AltLow || &Here >= AltLow + WhereAlt)
      ++Outside;
    if (sigaltstack(NULL, &Now) != 0 || Now.ss_sp != AltLow ||
        Now.ss_size != WhereAlt || !(Now.ss_flags & SS_ONSTACK))
      ++OtherAlt;
  } else if (&Here < WhereLow || &Here >= WhereLow + WhereStack) {
    ++Outside;
  }
  ++Handled;
}

static void *openLoop(void *Unused) {
  (void)Unused;
  if (AltLow) {
    stack_t Alt = {.ss_sp = AltLow, .ss_size = WhereAlt, .ss_flags = 0};
    sigaltstack(&Alt, NULL);
  }
  Ready = 1;
  while (!Stop) {
    int New = open(File, O_RDONLY);
    if (New >= 0)
      close(New);
  }
  return NULL;
}

static int whereHandlersRun(void) {
  for (int UseAlt = 0; UseAlt < 2; ++UseAlt) {
    WhereLow = aligned_alloc(4096, WhereStack);
    AltLow = UseAlt ? aligned_alloc(4096, WhereAlt) : NULL;
    Handled = Stop = Outside = OtherAlt = Ready = 0;
    onStack(SIGUSR1, where, 0);
    if (!UseAlt) {
      struct sigaction Plain;
      memset(&Plain, 0, sizeof(Plain));
      Plain.sa_handler = where;
      sigaction(SIGUSR1, &Plain, NULL);
    }
    pthread_attr_t Attr;
    pthread_attr_init(&Attr);
    pthread_attr_setstack(&Attr, WhereLow, WhereStack);
    pthread_t T;
    if (pthread_create(&T, &Attr, openLoop, NULL) != 0)
      return 2;
    while (!Ready)
      sched_yield();
    for (int I = 0; I < WhereSignals; ++I) {
      pthread_kill(T, SIGUSR1);
      while (Handled <= I)
        sched_yield();
    }
    Stop = 1;
    pthread_join(T, NULL);
    printf("%s: %d handlers, %d off the stack Linux runs them on, %d told "
           "another alternate stack\n",
           UseAlt ? "alternate stack" : "thread's stack", (int)Handled,
           (int)Outside, (int)OtherAlt);
  }
  return 0;
}

static volatile sig_atomic_t Ticks;
static long NestedStat = -1000;

static void tick(int Signal) {
  (void)Signal;
  struct stat St;
  if (!Ticks++)
    NestedStat = stat(File, &St) == 0 ? (long)St.st_size : -errno;
}

static int Intact, Interrupted;

static void blockInHandler(int Signal) {
  (void)Signal;
  volatile char Canary[1024];
  for (int I = 0; I < (int)sizeof(Canary); ++I)
    Canary[I] = (char)(I * 7);
  struct itimerval Every = {{0, 50000}, {0, 50000}};
  setitimer(ITIMER_REAL, &Every, NULL);
  int Opened = open(Fifo, O_RDONLY);
  int Error = errno;
  struct itimerval Off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &Off, NULL);
  Intact = 1;
  for (int I = 0; I < (int)sizeof(Canary); ++I)
    Intact &= Canary[I] == (char)(I * 7);
  Interrupted = Opened < 0 && Error == EINTR;
}

static int nested(void) {
  if (mkfifo(Fifo, 0644) != 0) {
    perror("mkfifo");
    return 2;
  }
  fflush(stdout);
  pid_t Child = fork();
  if (Child == 0) {
    alternateStack();
    onStack(SIGALRM, tick, 0);
    onStack(SIGUSR1, blockInHandler, 0);
    raise(SIGUSR1);
    printf("open %s\n", Interrupted ? "EINTR" : "other");
    printf("canary intact %d\n", Intact);
    printf("timer's handler ran %d, its stat %ld\n", Ticks > 0, NestedStat);
    fflush(stdout);
    _exit(0);
  }
  int Status;
  waitpid(Child, &Status, 0);
  if (!WIFEXITED(Status))
    printf("killed by signal %d\n", WTERMSIG(Status));
  unlink(Fifo);
  return 0;
}

static void execInHandler(int Signal) {
  (void)Signal;
  char *Argv[] = {"sh", "-c", "echo exec from the handler: ${0##*/}", File,
                  NULL};
  execv("/bin/sh", Argv);
  printf("execv %d\n", errno);
}

static int exec(void) {
  fflush(stdout);
  pid_t Child = fork();
  if (Child == 0) {
    alternateStack();
    onStack(SIGUSR1, execInHandler, 0);
    raise(SIGUSR1);
    _exit(3);
  }
  int Status;
  waitpid(Child, &Status, 0);
  printf("status %d\n", Status);
  return 0;
}

int main(int Argc, char **Argv) {
  if (Argc != 3 && Argc != 4)
    return 2;
  if (Argc == 4)
    AltBytes = strtoul(Argv[3], NULL, 0);
  setvbuf(stdout, NULL, _IOLBF, 0);
  setUp(Argv[2]);
  static const struct {
    const char *Name;
    int (*Run)(void);
  } Modes[] = {
      {"depth", depth},           {"threads", threads}, {"alt", alt},
      {"nested", nested},         {"exec", exec},       {"empty", empty},
      {"where", whereHandlersRun}};
  int Result = 2;
  for (size_t I = 0; I < sizeof(Modes) / sizeof(Modes[0]); ++I)
    if (!strcmp(Argv[1], Modes[I].Name))
      Result = Modes[I].Run();
  unlink(File);
  return Result;
}
