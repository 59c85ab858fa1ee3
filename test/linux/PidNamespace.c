// Pids as the K42 system's programs see them (pidns.test). `facts` prints
// only what holds natively and under K42 alike, relations between the ids
// the host kernel writes: gettid of the main thread is getpid, a thread's
// tid is what /proc/thread-self/stat says, /proc/self/stat's pid field,
// a SIGCHLD's si_pid is what fork returned, SO_PEERCRED across a
// socketpair is the peer's getpid, kill of a child by its pid. `ids` prints
// getpid and getppid for the test to judge (small K42 pids). `groups` says
// whether /proc/self/stat's group and session are getpgrp's and getsid's.
// `orphan` leaves an
// orphan that must be reparented to pid 1 and reaped (K42 only: on the
// host who adopts it is the host's business). `probe PID` tries kill(PID,
// 0).
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void pause10ms(void) {
  struct timespec T = {0, 10 * 1000 * 1000};
  nanosleep(&T, NULL);
}

/// The pid field (the first) of /proc/<Who>/stat, and its state letter;
/// 0 if there is no such process.
static long statOf(const char *Who, char *State) {
  char Path[64];
  snprintf(Path, sizeof(Path), "/proc/%s/stat", Who);
  FILE *F = fopen(Path, "r");
  if (!F)
    return 0;
  long Pid = 0;
  char Comm[64];
  char S = '?';
  if (fscanf(F, "%ld (%63[^)]) %c", &Pid, Comm, &S) != 3)
    Pid = 0;
  fclose(F);
  if (State)
    *State = S;
  return Pid;
}

/// A thread's tid, and whether /proc/thread-self/stat names it.
struct ThreadIds {
  long Tid;
  int StatNamesIt;
};

static void *threadTid(void *Out) {
  struct ThreadIds *Ids = Out;
  Ids->Tid = syscall(SYS_gettid);
  Ids->StatNamesIt = statOf("thread-self", NULL) == Ids->Tid;
  return NULL;
}

static volatile pid_t ChildSender;
static void onChild(int S, siginfo_t *Info, void *Unused) {
  (void)S;
  (void)Unused;
  if (Info->si_code == CLD_EXITED)
    ChildSender = Info->si_pid;
}

static int facts(void) {
  pid_t Me = getpid();
  printf("gettid is getpid on the main thread: %d\n",
         (pid_t)syscall(SYS_gettid) == Me);
  printf("/proc/self/stat names getpid: %d\n", statOf("self", NULL) == Me);

  struct ThreadIds Ids = {0, 0};
  pthread_t T;
  pthread_create(&T, NULL, threadTid, &Ids);
  pthread_join(T, NULL);
  printf("a thread's tid differs from getpid: %d\n",
         Ids.Tid != Me && Ids.Tid > 0);
  printf("/proc/thread-self/stat names the tid: %d\n", Ids.StatNamesIt);

  // SIGCHLD's si_pid is the pid fork returned.
  struct sigaction A;
  memset(&A, 0, sizeof(A));
  A.sa_sigaction = onChild;
  A.sa_flags = SA_SIGINFO;
  sigaction(SIGCHLD, &A, NULL);
  sigset_t Block, Old;
  sigemptyset(&Block);
  sigaddset(&Block, SIGCHLD);
  sigprocmask(SIG_BLOCK, &Block, &Old);
  pid_t Child = fork();
  if (Child == 0)
    _exit(3);
  while (!ChildSender)
    sigsuspend(&Old);
  sigprocmask(SIG_SETMASK, &Old, NULL);
  int Status = 0;
  pid_t Waited = waitpid(Child, &Status, 0);
  printf("SIGCHLD si_pid is fork's result: %d\n", ChildSender == Child);
  printf("wait returns it too: %d, exit %d\n", Waited == Child,
         WEXITSTATUS(Status));
  signal(SIGCHLD, SIG_DFL);

  // SO_PEERCRED names the other end's process by its getpid.
  int Pair[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, Pair);
  Child = fork();
  if (Child == 0) {
    close(Pair[0]);
    pid_t Mine = getpid();
    struct ucred Cred;
    socklen_t Len = sizeof(Cred);
    getsockopt(Pair[1], SOL_SOCKET, SO_PEERCRED, &Cred, &Len);
    // The pair was made by the parent: its pid is the peer's.
    int ParentOk = Cred.pid == getppid();
    (void)!write(Pair[1], &Mine, sizeof(Mine));
    _exit(ParentOk ? 0 : 1);
  }
  close(Pair[1]);
  pid_t Said = 0;
  (void)!read(Pair[0], &Said, sizeof(Said));
  waitpid(Child, &Status, 0);
  printf("the child's getpid is fork's result: %d\n", Said == Child);
  printf("SO_PEERCRED in the child names the parent: %d\n",
         WIFEXITED(Status) && WEXITSTATUS(Status) == 0);
  close(Pair[0]);

  // kill of another process by its pid.
  Child = fork();
  if (Child == 0) {
    for (;;)
      pause();
  }
  printf("kill of the child by pid: %d\n", kill(Child, SIGTERM));
  waitpid(Child, &Status, 0);
  printf("it died of signal %d\n", WIFSIGNALED(Status) ? WTERMSIG(Status) : 0);
  return 0;
}

static int orphan(void) {
  int Pipe[2];
  if (pipe(Pipe) != 0)
    return 1;
  pid_t Middle = fork();
  if (Middle == 0) {
    pid_t Grandchild = fork();
    if (Grandchild == 0) {
      close(Pipe[0]);
      // Until its parent is gone and it is init's.
      while (getppid() != 1)
        pause10ms();
      pid_t Ppid = getppid();
      (void)!write(Pipe[1], &Ppid, sizeof(Ppid));
      _exit(0);
    }
    (void)!write(Pipe[1], &Grandchild, sizeof(Grandchild));
    _exit(0);
  }
  close(Pipe[1]);
  pid_t Orphan = 0, Ppid = 0;
  (void)!read(Pipe[0], &Orphan, sizeof(Orphan));
  waitpid(Middle, NULL, 0);
  (void)!read(Pipe[0], &Ppid, sizeof(Ppid));
  printf("the orphan's new parent: %d\n", Ppid);
  // Its new parent, not this process, must reap it: wait until /proc has
  // no such process, or report the zombie it stays.
  char Who[32];
  snprintf(Who, sizeof(Who), "%d", Orphan);
  char State = '?';
  int Rounds = 0;
  while (statOf(Who, &State) == Orphan && Rounds++ < 1000)
    pause10ms();
  printf("the orphan is %s\n", statOf(Who, &State) == Orphan
                                   ? (State == 'Z' ? "a zombie" : "alive")
                                   : "reaped");
  return 0;
}

/// Whether /proc/self/stat's process group and session (fields 5 and 6)
/// are what getpgrp and getsid say (ps and pgrep read the first).
static int groups(void) {
  FILE *F = fopen("/proc/self/stat", "r");
  char Line[1024];
  if (!F || !fgets(Line, sizeof(Line), F))
    return 1;
  fclose(F);
  long Ppid, Pgrp, Session;
  char State;
  const char *Rest = strrchr(Line, ')');
  if (!Rest ||
      sscanf(Rest + 1, " %c %ld %ld %ld", &State, &Ppid, &Pgrp, &Session) != 4)
    return 1;
  printf("stat's group is getpgrp: %s\n", Pgrp == getpgrp() ? "yes" : "no");
  printf("stat's session is getsid: %s\n", Session == getsid(0) ? "yes" : "no");
  return 0;
}

int main(int Argc, char **Argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (Argc >= 2 && strcmp(Argv[1], "groups") == 0)
    return groups();
  if (Argc >= 2 && strcmp(Argv[1], "facts") == 0)
    return facts();
  if (Argc >= 2 && strcmp(Argv[1], "ids") == 0) {
    printf("pid %d ppid %d\n", getpid(), getppid());
    return 0;
  }
  if (Argc >= 2 && strcmp(Argv[1], "orphan") == 0)
    return orphan();
  if (Argc >= 3 && strcmp(Argv[1], "probe") == 0) {
    int R = kill(atoi(Argv[2]), 0);
    printf("kill(%s, 0): %s\n", Argv[2], R == 0 ? "ok" : strerror(errno));
    return 0;
  }
  fprintf(stderr, "usage: linux-pidnamespace facts|ids|orphan|probe PID\n");
  return 2;
}
