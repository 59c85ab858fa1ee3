#define _GNU_SOURCE
// fork while other threads are inside calls on descriptors: the child has
// only the forking thread, so what its descriptors hold must be what that
// thread holds.
//
//   linux-threadfork DIR ROUNDS
//
// Locks: each round, a thread preads a locked file (flock) over and over
// while the main thread forks; the child closes the file and stays until
// told to go, the parent closes it too and opens the file again: the lock
// is gone (its last description closed), so a non-blocking flock of the
// new open succeeds. It would not if the child's copy of the file kept a
// reference of the pread in progress at the fork (the file, and the lock
// file behind it, never closed in the child).
//
// A signal handler that forks inside a call: the main thread is blocked
// in a read of a pipe when a signal arrives; its handler forks; in the
// child the handler closes the pipe's write end and returns into the read,
// which goes on (SA_RESTART) and ends with the pipe's end when the parent
// closes its write end too; the child then closes the read end and exits
// 0. Its count of the end must keep the read's hold (a count without it
// would let the end go while the read still has it).
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int File;
static atomic_int Stop;

static void *preader(void *Arg) {
  (void)Arg;
  char Buf[512];
  while (!atomic_load(&Stop))
    if (pread(File, Buf, sizeof(Buf), 0) != (long)sizeof(Buf)) {
      perror("pread");
      exit(1);
    }
  return NULL;
}

/// One round of the lock case: whether the lock was gone at the end.
static int lockRound(const char *Path) {
  File = open(Path, O_RDONLY);
  if (File < 0 || flock(File, LOCK_EX) != 0) {
    perror("open and lock");
    exit(1);
  }
  atomic_store(&Stop, 0);
  pthread_t T;
  pthread_create(&T, NULL, preader, NULL);
  int Closed[2], Go[2];
  if (pipe(Closed) != 0 || pipe(Go) != 0) {
    perror("pipe");
    exit(1);
  }
  // The reader is inside a pread most of the time: let it make some.
  char Buf[512];
  for (int I = 0; I < 20; ++I)
    (void)pread(File, Buf, sizeof(Buf), 0);
  pid_t Child = fork();
  if (Child == 0) {
    close(Closed[0]);
    close(Go[1]);
    close(File);
    close(Closed[1]); // the parent reads the end: the file is closed
    char C;
    (void)read(Go[0], &C, 1); // until the parent is done
    _exit(0);
  }
  close(Closed[1]);
  close(Go[0]);
  char C;
  (void)read(Closed[0], &C, 1);
  close(Closed[0]);
  atomic_store(&Stop, 1);
  pthread_join(T, NULL);
  close(File);
  int Again = open(Path, O_RDONLY);
  int Free = flock(Again, LOCK_EX | LOCK_NB) == 0;
  if (!Free && errno != EWOULDBLOCK)
    perror("flock");
  close(Again);
  close(Go[1]);
  int Status;
  waitpid(Child, &Status, 0);
  return Free;
}

static int Pipe[2];
static pid_t Forked = -1;
static volatile sig_atomic_t Handled, InChild;

static void onSignal(int Signal) {
  (void)Signal;
  pid_t Child = fork();
  if (Child == 0) {
    InChild = 1;
    alarm(60);      // a read that never ends fails the test, not the run
    close(Pipe[1]); // the child's copy: the parent's is the last
  } else
    Forked = Child;
  Handled = 1;
}

static atomic_int Reading;
static pid_t MainTid;

/// Whether thread \p Tid sleeps (in its read).
static int sleeping(pid_t Tid) {
  char Path[64], Stat[512];
  snprintf(Path, sizeof(Path), "/proc/self/task/%d/stat", (int)Tid);
  int Fd = open(Path, O_RDONLY);
  if (Fd < 0)
    return 0;
  long N = read(Fd, Stat, sizeof(Stat) - 1);
  close(Fd);
  if (N <= 0)
    return 0;
  Stat[N] = 0;
  char *State = strrchr(Stat, ')');
  return State && State[1] == ' ' && State[2] == 'S';
}

static void *signaller(void *Arg) {
  (void)Arg;
  while (!atomic_load(&Reading) || !sleeping(MainTid))
    sched_yield();
  pthread_kill(*(pthread_t *)Arg, SIGUSR1);
  while (!Handled)
    sched_yield();
  close(Pipe[1]); // both reads end
  return NULL;
}

static void nestedFork(void) {
  struct sigaction A;
  memset(&A, 0, sizeof(A));
  A.sa_handler = onSignal;
  A.sa_flags = SA_RESTART;
  sigaction(SIGUSR1, &A, NULL);
  if (pipe(Pipe) != 0) {
    perror("pipe");
    exit(1);
  }
  MainTid = (pid_t)syscall(SYS_gettid);
  pthread_t Self = pthread_self(), T;
  pthread_create(&T, NULL, signaller, &Self);
  atomic_store(&Reading, 1);
  char C;
  long N = read(Pipe[0], &C, 1);
  if (InChild) {
    // The child: its read ended as the parent's did.
    int Closed = close(Pipe[0]);
    _exit(N == 0 && Closed == 0 ? 0 : 1);
  }
  pthread_join(T, NULL);
  close(Pipe[0]);
  int Status = 0;
  waitpid(Forked, &Status, 0);
  printf("nested fork: read %ld, child %s %d\n", N,
         WIFEXITED(Status) ? "exited" : "killed by",
         WIFEXITED(Status) ? WEXITSTATUS(Status) : WTERMSIG(Status));
}

int main(int Argc, char **Argv) {
  if (Argc != 3) {
    fprintf(stderr, "usage: linux-threadfork DIR ROUNDS\n");
    return 2;
  }
  if (mkdir(Argv[1], 0700) != 0 && errno != EEXIST) {
    perror("mkdir");
    return 1;
  }
  char Path[4096];
  snprintf(Path, sizeof(Path), "%s/locked", Argv[1]);
  int Fd = open(Path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
  char Block[512];
  memset(Block, 'x', sizeof(Block));
  if (Fd < 0 || write(Fd, Block, sizeof(Block)) != (long)sizeof(Block)) {
    perror("create");
    return 1;
  }
  close(Fd);
  int Rounds = atoi(Argv[2]), Kept = 0;
  for (int I = 0; I < Rounds; ++I)
    Kept += !lockRound(Path);
  printf("%d rounds of fork during a pread: lock kept after the last close "
         "%d times\n",
         Rounds, Kept);
  fflush(stdout);
  nestedFork();
  return 0;
}
