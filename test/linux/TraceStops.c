// test/linux/TraceStops.c: a tracer and its tracee, as gdb and strace are.
// Under the personality the tracee's trapped calls raise SIGSYS (Syscall
// User Dispatch), and the host reports every signal to the tracer first:
// a tracer saw a stop at each, where natively a system call makes none.
// The tracer's waits now pass those stops on, so it sees what it sees
// natively: the exec, the tracee's own signal, its thread's start, its
// exit. What both print must be the same.
//
//   linux-tracestops tracer HOW DIR   (HOW: wait4, waitid, nohang, syscall)
//   linux-tracestops tracee DIR
//
// The tracer runs this program as its tracee (PTRACE_TRACEME, then exec),
// resumes it by PTRACE_CONT (PTRACE_SYSCALL for `syscall`, whose syscall
// stops are counted apart and not printed: their number is the
// personality's), passing each signal on, and prints how many stops of
// each kind it saw. The tracee writes and reads a file in DIR, from its
// main thread and from a second thread, writes from a bad pointer
// (EFAULT), raises SIGUSR1 for its handler, and exits 3.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t Caught;

static void onUsr1(int Signal) { Caught = Signal; }

static int readBack(const char *Path, char *Buffer, size_t Bytes) {
  int Fd = open(Path, O_RDONLY);
  if (Fd < 0)
    return -errno;
  ssize_t N = read(Fd, Buffer, Bytes - 1);
  close(Fd);
  Buffer[N > 0 ? N : 0] = '\0';
  return (int)N;
}

static void *secondThread(void *Path) {
  char Buffer[64];
  int N = readBack((const char *)Path, Buffer, sizeof(Buffer));
  printf("thread read %d: %s", N, Buffer);
  fflush(stdout);
  return NULL;
}

static int tracee(const char *Dir) {
  if (chdir(Dir) != 0)
    return 2;
  signal(SIGUSR1, onUsr1);
  int Fd = open("traced.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
  if (Fd < 0 || write(Fd, "written by the tracee\n", 22) != 22)
    return 2;
  // A bad pointer: EFAULT, no signal (the personality's copy of it
  // faults, and its handler makes that the EFAULT).
  errno = 0;
  ssize_t Bad = write(Fd, (const void *)8, 4);
  printf("tracee: bad pointer %s\n",
         Bad < 0 ? strerrorname_np(errno) : "written");
  close(Fd);
  struct stat St;
  printf("tracee: size %lld\n",
         stat("traced.txt", &St) == 0 ? (long long)St.st_size : -1LL);
  raise(SIGUSR1);
  printf("tracee: handler saw %d\n", (int)Caught);
  fflush(stdout);
  pthread_t Thread;
  if (pthread_create(&Thread, NULL, secondThread, "traced.txt") != 0)
    return 2;
  pthread_join(Thread, NULL);
  unlink("traced.txt");
  printf("tracee: done\n");
  fflush(stdout);
  return 3;
}

/// One stop or end of a tracee thread: waitpid's status, or waitid's
/// (converted to waitpid's form) for `waitid`; 0 with no event (nohang).
static pid_t waitOne(const char *How, int *Status) {
  if (strcmp(How, "waitid") == 0) {
    siginfo_t Info;
    memset(&Info, 0, sizeof(Info));
    if (waitid(P_ALL, 0, &Info, WEXITED | WSTOPPED | __WALL) != 0)
      return -1;
    switch (Info.si_code) {
    case CLD_EXITED:
      *Status = (Info.si_status & 0xff) << 8;
      break;
    case CLD_KILLED:
    case CLD_DUMPED:
      *Status = Info.si_status & 0x7f;
      break;
    default: // CLD_TRAPPED, CLD_STOPPED: the event bits ride along
      *Status = (Info.si_status << 8) | 0x7f;
    }
    return Info.si_pid;
  }
  if (strcmp(How, "nohang") == 0) {
    // Bounded: 200,000 polls of 0.1 ms are 20 s, far past the tracee's
    // run; a tracer that never saw the exit prints a count short.
    for (int Poll = 0; Poll < 200000; ++Poll) {
      pid_t Pid = waitpid(-1, Status, WNOHANG | __WALL);
      if (Pid != 0)
        return Pid;
      struct timespec Pause = {0, 100000};
      nanosleep(&Pause, NULL);
    }
    return 0;
  }
  return waitpid(-1, Status, __WALL);
}

static int tracer(const char *Self, const char *How, const char *Dir) {
  pid_t Child = fork();
  if (Child < 0)
    return 2;
  if (Child == 0) {
    if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) != 0)
      _exit(2);
    execl(Self, Self, "tracee", Dir, (char *)NULL);
    _exit(2);
  }
  int Syscall = strcmp(How, "syscall") == 0;
  enum __ptrace_request Resume = Syscall ? PTRACE_SYSCALL : PTRACE_CONT;
  int Execs = 0, Clones = 0, ThreadStarts = 0, SyscallStops = 0, Others = 0;
  int Signals[NSIG];
  memset(Signals, 0, sizeof(Signals));
  int Live = 1, ExitCode = -1;
  while (Live > 0) {
    int Status = 0;
    pid_t Tid = waitOne(How, &Status);
    if (Tid <= 0) {
      printf("tracer: wait failed: %s\n", Tid < 0 ? strerror(errno) : "none");
      return 1;
    }
    if (WIFEXITED(Status) || WIFSIGNALED(Status)) {
      --Live;
      if (Tid == Child)
        ExitCode = WIFEXITED(Status) ? WEXITSTATUS(Status) : 128;
      continue;
    }
    if (!WIFSTOPPED(Status)) {
      ++Others;
      continue;
    }
    int Deliver = 0;
    int Event = Status >> 16;
    int Signal = WSTOPSIG(Status);
    if (Signal == (SIGTRAP | 0x80)) {
      ++SyscallStops;
    } else if (Event == PTRACE_EVENT_CLONE) {
      ++Clones;
      ++Live;
    } else if (Signal == SIGTRAP && Execs == 0 && Tid == Child) {
      // The exec's stop: from here on, threads are traced too.
      ++Execs;
      ptrace(PTRACE_SETOPTIONS, Tid, NULL,
             (void *)(long)(PTRACE_O_TRACECLONE |
                            (Syscall ? PTRACE_O_TRACESYSGOOD : 0)));
    } else if (Signal == SIGSTOP && Tid != Child) {
      ++ThreadStarts;
    } else {
      ++Signals[Signal];
      Deliver = Signal;
    }
    if (ptrace(Resume, Tid, NULL, (void *)(long)Deliver) != 0)
      printf("tracer: resume of a stop by %d failed: %s\n", Signal,
             strerror(errno));
  }
  printf("tracer: exec stops %d, clone events %d, thread starts %d, other "
         "changes %d\n",
         Execs, Clones, ThreadStarts, Others);
  for (int Signal = 1; Signal < NSIG; ++Signal)
    if (Signals[Signal])
      printf("tracer: signal stops %s %d\n", sigabbrev_np(Signal),
             Signals[Signal]);
  printf("tracer: syscall stops seen: %s\n",
         Syscall ? (SyscallStops > 0 ? "some" : "none") : "not asked");
  printf("tracer: tracee exited %d\n", ExitCode);
  return 0;
}

int main(int Argc, char **Argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (Argc == 3 && strcmp(Argv[1], "tracee") == 0)
    return tracee(Argv[2]);
  if (Argc == 4 && strcmp(Argv[1], "tracer") == 0) {
    char Self[4096];
    ssize_t N = readlink("/proc/self/exe", Self, sizeof(Self) - 1);
    if (N <= 0)
      return 2;
    Self[N] = '\0';
    return tracer(Self, Argv[2], Argv[3]);
  }
  fprintf(stderr, "usage: linux-tracestops tracer HOW DIR | tracee DIR\n");
  return 2;
}
