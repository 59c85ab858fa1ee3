// test/linux/SitePatch.c: glibc functions whose own system calls trap under
// the personality (opendir/readdir's openat, getdents64 and close, stat,
// fopen/fgets's openat, fstat and read, readlink, lgetxattr, getcwd,
// sigaction's rt_sigaction of SIGSEGV, SIGSYS and SIGUSR2, sigprocmask's
// rt_sigprocmask blocking and unblocking SIGUSR2, SIGSEGV and SIGSYS), in
// loops, so that their sites in libc are patched into branches and then
// used many times, also by signal handlers that interrupt them, by a fork
// child and by threads. Prints only what native Linux prints too.
//
//   linux-sitepatch loop DIR ROUNDS      ROUNDS rounds in one thread
//   linux-sitepatch loop-exec DIR ROUNDS the same, then exec'd again
//                                        (ARGV0 absolute) for ROUNDS more
//   linux-sitepatch signals DIR COUNT    rounds while a child sends COUNT
//                                        SIGUSR1s (each acknowledged) and
//                                        an interval timer at least COUNT
//                                        SIGALRMs, whose handlers make calls
//                                        from glibc's sites; the child too
//   linux-sitepatch threads DIR THREADS ROUNDS
//                                        one round, then THREADS threads of
//                                        ROUNDS rounds of the handlers'
//                                        calls at once, each then stat'ing
//                                        and removing a file of its own
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

static const char *Dir;
static const char *const Names[] = {"a", "bb", "ccc", "dddd"};
enum { NumNames = 4 };

static void pathOf(char *Out, size_t Size, const char *Name) {
  snprintf(Out, Size, "%s/%s", Dir, Name);
}

static void setUp(void) {
  char Path[4096];
  if (mkdir(Dir, 0755) != 0) {
    perror("mkdir");
    exit(2);
  }
  for (int I = 0; I < NumNames; ++I) {
    pathOf(Path, sizeof(Path), Names[I]);
    FILE *F = fopen(Path, "w");
    if (!F) {
      perror("fopen");
      exit(2);
    }
    fprintf(F, "line of %s\n", Names[I]);
    fclose(F);
  }
  pathOf(Path, sizeof(Path), "link");
  if (symlink("a", Path) != 0) {
    perror("symlink");
    exit(2);
  }
}

static void tearDown(void) {
  char Path[4096];
  for (int I = 0; I < NumNames; ++I) {
    pathOf(Path, sizeof(Path), Names[I]);
    unlink(Path);
  }
  pathOf(Path, sizeof(Path), "link");
  unlink(Path);
  rmdir(Dir);
}

static volatile sig_atomic_t Caught;

static void onCaught(int Signal) {
  (void)Signal;
  ++Caught;
}

/// Sets, reads back and restores the actions of SIGSEGV and SIGSYS (kept by
/// the personality) and SIGUSR2 (the host's): glibc's sigaction is one
/// site, patched like the others. The number of wrong answers.
static int actions(void) {
  int Wrong = 0;
  const int Signals[] = {SIGSEGV, SIGSYS, SIGUSR2};
  for (int I = 0; I < 3; ++I) {
    struct sigaction A, Q, Old;
    memset(&A, 0, sizeof(A));
    A.sa_handler = onCaught;
    sigemptyset(&A.sa_mask);
    sigaddset(&A.sa_mask, SIGINT);
    Wrong += sigaction(Signals[I], &A, &Old) != 0;
    Wrong += sigaction(Signals[I], NULL, &Q) != 0 || Q.sa_handler != onCaught ||
             !sigismember(&Q.sa_mask, SIGINT);
    Wrong += sigaction(Signals[I], &Old, NULL) != 0;
    Wrong +=
        sigaction(Signals[I], NULL, &Q) != 0 || Q.sa_handler != Old.sa_handler;
  }
  return Wrong;
}

/// Blocks SIGUSR2, SIGSEGV and SIGSYS with sigprocmask (glibc's site, a
/// direct branch once patched), makes a file call (which may trap: SIGSYS
/// must have stayed deliverable), raises SIGUSR2, which must wait, and
/// restores the mask, which delivers it. The number of wrong answers.
static int masks(void) {
  int Wrong = 0;
  struct sigaction A, Old;
  memset(&A, 0, sizeof(A));
  A.sa_handler = onCaught;
  sigemptyset(&A.sa_mask);
  Wrong += sigaction(SIGUSR2, &A, &Old) != 0;
  sigset_t Block, Before, Now;
  sigemptyset(&Block);
  sigaddset(&Block, SIGUSR2);
  sigaddset(&Block, SIGSEGV);
  sigaddset(&Block, SIGSYS);
  Wrong += sigprocmask(SIG_BLOCK, &Block, &Before) != 0;
  Wrong += sigprocmask(SIG_BLOCK, NULL, &Now) != 0 ||
           !sigismember(&Now, SIGUSR2) || !sigismember(&Now, SIGSEGV);
  char Cwd[4096];
  Wrong += getcwd(Cwd, sizeof(Cwd)) == NULL;
  Caught = 0;
  raise(SIGUSR2);
  Wrong += Caught != 0;
  Wrong += sigprocmask(SIG_SETMASK, &Before, NULL) != 0;
  Wrong += Caught != 1;
  Wrong += sigprocmask(SIG_BLOCK, NULL, &Now) != 0 ||
           sigismember(&Now, SIGUSR2) || sigismember(&Now, SIGSEGV);
  Wrong += sigaction(SIGUSR2, &Old, NULL) != 0;
  return Wrong;
}

/// One round of calls; the number of answers that were not the expected.
static int round1(void) {
  int Wrong = 0;
  char Path[4096];
  DIR *D = opendir(Dir);
  int Entries = 0;
  if (D) {
    while (readdir(D))
      ++Entries;
    closedir(D);
  }
  Wrong += Entries != NumNames + 3; // ., .. and the link
  for (int I = 0; I < NumNames; ++I) {
    struct stat St;
    pathOf(Path, sizeof(Path), Names[I]);
    Wrong += stat(Path, &St) != 0 || St.st_size != 9 + (long)strlen(Names[I]);
  }
  pathOf(Path, sizeof(Path), "ccc");
  FILE *F = fopen(Path, "r");
  char Line[64] = "";
  if (F) {
    if (!fgets(Line, sizeof(Line), F))
      Line[0] = 0;
    fclose(F);
  }
  Wrong += strcmp(Line, "line of ccc\n") != 0;
  char Target[64];
  pathOf(Path, sizeof(Path), "link");
  ssize_t N = readlink(Path, Target, sizeof(Target));
  Wrong += N != 1 || Target[0] != 'a';
  char Value[16];
  errno = 0;
  Wrong += lgetxattr(Path, "user.k42", Value, sizeof(Value)) != -1 ||
           (errno != ENODATA && errno != ENOTSUP);
  char Cwd[4096];
  Wrong += getcwd(Cwd, sizeof(Cwd)) == NULL;
  Wrong += access(Dir, R_OK | X_OK) != 0;
  Wrong += actions();
  Wrong += masks();
  return Wrong;
}

static int loop(int Rounds) {
  int Wrong = 0;
  for (int I = 0; I < Rounds; ++I)
    Wrong += round1();
  // The actions set last through the patched site are the ones that run.
  struct sigaction A;
  memset(&A, 0, sizeof(A));
  A.sa_handler = onCaught;
  sigaction(SIGSYS, &A, NULL);
  sigaction(SIGUSR2, &A, NULL);
  Caught = 0;
  raise(SIGSYS);
  raise(SIGUSR2);
  Wrong += Caught != 2;
  printf("loop: %d rounds, %d wrong answers\n", Rounds, Wrong);
  return Wrong != 0;
}

static volatile sig_atomic_t Usr1, Alarms, HandlerWrong;
static int Ack[2];
static uid_t Ids[3];

/// What a handler may call: no malloc, and no K42 file call (a handler
/// that makes one while its thread is inside one can deadlock on the
/// personality's path lock, trapped or not: runtime/linux/README.md's
/// limits). getresuid and an anonymous mmap and munmap from glibc's sites,
/// and SSE arithmetic, while the interrupted call may be anywhere in a
/// patched site, its stub or its handler.
static int handlerRound(void) {
  int Wrong = 0;
  uid_t R, E, S;
  Wrong +=
      getresuid(&R, &E, &S) != 0 || R != Ids[0] || E != Ids[1] || S != Ids[2];
  volatile double Sum = 0;
  for (int I = 1; I <= 16; ++I)
    Sum += 1.0 / I;
  Wrong += Sum < 3.38 || Sum > 3.39;
  char *Page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (Page == MAP_FAILED)
    return Wrong + 1;
  Page[100] = 'x';
  Wrong += Page[100] != 'x' || Page[0] != 0;
  Wrong += munmap(Page, 4096) != 0;
  return Wrong;
}

static void onUsr1(int Signal) {
  (void)Signal;
  int Saved = errno;
  HandlerWrong += handlerRound();
  ++Usr1;
  char Byte = 'k';
  if (write(Ack[1], &Byte, 1) != 1)
    ++HandlerWrong;
  errno = Saved;
}

static void onAlarm(int Signal) {
  (void)Signal;
  int Saved = errno;
  HandlerWrong += handlerRound();
  ++Alarms;
  errno = Saved;
}

static int signals(int Count) {
  getresuid(&Ids[0], &Ids[1], &Ids[2]);
  struct sigaction Action;
  memset(&Action, 0, sizeof(Action));
  Action.sa_flags = SA_RESTART;
  Action.sa_handler = onUsr1;
  sigaction(SIGUSR1, &Action, NULL);
  Action.sa_handler = onAlarm;
  sigaction(SIGALRM, &Action, NULL);
  if (pipe(Ack) != 0)
    return 2;
  // The sites are patched before the child.
  int MainWrong = round1() + handlerRound();
  pid_t Parent = getpid();
  pid_t Child = fork();
  if (Child == 0) {
    // The fork child runs the parent's patched text.
    int Wrong = 0;
    for (int I = 0; I < Count; ++I) {
      Wrong += round1();
      kill(Parent, SIGUSR1);
      char Byte;
      if (read(Ack[0], &Byte, 1) != 1)
        ++Wrong;
    }
    _exit(Wrong != 0);
  }
  struct itimerval Every = {{0, 1000}, {0, 1000}};
  setitimer(ITIMER_REAL, &Every, NULL);
  while (Usr1 < Count || Alarms < Count)
    MainWrong += round1() + handlerRound();
  struct itimerval Off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &Off, NULL);
  int Status = 0;
  waitpid(Child, &Status, 0);
  printf("signals: %d SIGUSR1 handled, at least %d SIGALRM: %s\n", (int)Usr1,
         Count, Alarms >= Count ? "yes" : "no");
  printf("signals: %d wrong in rounds, %d in handlers, child %s\n", MainWrong,
         (int)HandlerWrong,
         WIFEXITED(Status) && WEXITSTATUS(Status) == 0 ? "right" : "wrong");
  return MainWrong != 0 || HandlerWrong != 0;
}

static int Rounds;

static void *work(void *Arg) {
  char Path[4096];
  pathOf(Path, sizeof(Path), (const char *)Arg);
  long Wrong = 0;
  // The main thread patched these sites; eight threads now run them at
  // once. (Not K42 file calls in a loop: threads making those at once
  // crash the process now and then, with site patching off and on main
  // before it as well, a fault in the personality left for its own fix.)
  for (int I = 0; I < Rounds; ++I)
    Wrong += handlerRound();
  // A site first met while threads run: never patched, still right.
  struct stat St;
  Wrong += lstat(Dir, &St) != 0 || !S_ISDIR(St.st_mode);
  Wrong += stat(Path, &St) != 0 || St.st_size != 11;
  Wrong += unlink(Path) != 0;
  return (void *)Wrong;
}

static int threads(int Count) {
  getresuid(&Ids[0], &Ids[1], &Ids[2]);
  int Wrong = round1() + handlerRound();
  pthread_t T[10];
  static char Names[10][4];
  if (Count > 10)
    Count = 10;
  for (int I = 0; I < Count; ++I) {
    snprintf(Names[I], sizeof(Names[I]), "t%d", I);
    char Path[4096];
    pathOf(Path, sizeof(Path), Names[I]);
    FILE *F = fopen(Path, "w");
    if (!F)
      return 2;
    fprintf(F, "line of %s\n", Names[I]);
    fclose(F);
  }
  for (int I = 0; I < Count; ++I)
    pthread_create(&T[I], NULL, work, Names[I]);
  for (int I = 0; I < Count; ++I) {
    void *Result;
    pthread_join(T[I], &Result);
    Wrong += (int)(long)Result;
  }
  printf("threads: %d threads x %d rounds, %d wrong answers\n", Count, Rounds,
         Wrong);
  return Wrong != 0;
}

int main(int Argc, char **Argv) {
  if (Argc < 4) {
    fprintf(stderr, "usage: %s loop|loop-exec|signals|threads DIR N [ROUNDS]\n",
            Argv[0]);
    return 2;
  }
  setvbuf(stdout, NULL, _IONBF, 0);
  Dir = Argv[2];
  int N = atoi(Argv[3]);
  setUp();
  int Failed;
  if (strcmp(Argv[1], "loop") == 0) {
    Failed = loop(N);
  } else if (strcmp(Argv[1], "loop-exec") == 0) {
    // The loop, then the same program again by exec: the new image
    // meets the sites this one patched (same libc).
    Failed = loop(N);
    tearDown();
    if (!Failed)
      execl(Argv[0], Argv[0], "loop", Dir, Argv[3], (char *)NULL);
    return 1;
  } else if (strcmp(Argv[1], "signals") == 0) {
    Failed = signals(N);
  } else {
    Rounds = Argc > 4 ? atoi(Argv[4]) : 10;
    Failed = threads(N);
  }
  tearDown();
  return Failed;
}
