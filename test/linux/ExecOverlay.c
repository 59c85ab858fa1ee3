// What a program sees of the exec that started it, and what an exec keeps
// and drops, run natively and under the personality (execoverlay.test):
// under K42 a dynamic target replaces the process in user space
// (runtime/linux/ExecOverlay.cpp), so everything printed here must come
// out as the host's execve makes it.
//
//   exec TARGET        set up descriptors, signals, an alternate stack and
//                      a timer, then exec TARGET show (glibc's execve: a
//                      trapped call)
//   exec-direct TARGET the same through syscall() (a direct branch)
//   show               print what the new image sees
//   errors DIR TARGET  execs that fail (ENOENT, EACCES, ENOEXEC), then a
//                      script (#!) and TARGET show, from this process
//   vfork TARGET       exec TARGET show from a vfork child
//   fork TARGET        a timer here, then a fork child that makes one of
//                      its own (fork copies none) and execs TARGET show
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;
extern char _start[];

static void onSignal(int Signal) { (void)Signal; }

static const char *disposition(int Signal) {
  struct sigaction Old;
  sigaction(Signal, NULL, &Old);
  if (Old.sa_handler == SIG_DFL)
    return "default";
  if (Old.sa_handler == SIG_IGN)
    return "ignored";
  return "caught";
}

/// An action's flags and mask as the program sees them (what exec clears).
static void printAction(const char *Name, int Signal) {
  struct sigaction Old;
  sigaction(Signal, NULL, &Old);
  printf("%s: %s, flags %#x, mask has SIGUSR1: %d\n", Name, disposition(Signal),
         (unsigned)Old.sa_flags, sigismember(&Old.sa_mask, SIGUSR1));
}

static int firstPhdr(struct dl_phdr_info *Info, size_t Size, void *Out) {
  (void)Size;
  *(const void **)Out = Info->dlpi_phdr;
  return 1;
}

static void printFile(const char *Label, const char *Path) {
  char Buffer[4096];
  int Fd = open(Path, O_RDONLY);
  ssize_t N = Fd < 0 ? -1 : read(Fd, Buffer, sizeof(Buffer) - 1);
  if (Fd >= 0)
    close(Fd);
  if (N < 0) {
    printf("%s: unreadable\n", Label);
    return;
  }
  for (ssize_t I = 0; I < N; ++I)
    if (Buffer[I] == 0)
      Buffer[I] = '|';
  while (N > 0 && Buffer[N - 1] == '\n')
    --N;
  Buffer[N] = 0;
  printf("%s: %s\n", Label, Buffer);
}

/// Whether /proc/self/auxv holds what getauxval answers (the stack's).
static int auxvMatches(void) {
  unsigned long Aux[256];
  int Fd = open("/proc/self/auxv", O_RDONLY);
  ssize_t N = read(Fd, Aux, sizeof(Aux));
  close(Fd);
  if (N <= 0)
    return 0;
  for (ssize_t I = 0; I + 1 < N / 8; I += 2) {
    if (Aux[I] == AT_NULL)
      return 1;
    // glibc answers AT_HWCAP from its own reading of the processor.
    if (Aux[I] != AT_HWCAP && getauxval(Aux[I]) != Aux[I + 1])
      return 0;
  }
  return 0;
}

static int show(int Argc, char **Argv) {
  for (int I = 0; I < Argc; ++I)
    printf("argv[%d]: '%s'\n", I, Argv[I]);
  printf("execfn: %s\n", (const char *)getauxval(AT_EXECFN));
  char Exe[4096];
  ssize_t N = readlink("/proc/self/exe", Exe, sizeof(Exe) - 1);
  Exe[N < 0 ? 0 : N] = 0;
  printf("exe: %s\n", Exe);
  printFile("cmdline", "/proc/self/cmdline");
  printFile("comm", "/proc/self/comm");
  printf("FOO: %s\n", getenv("FOO") ? getenv("FOO") : "(unset)");
  const void *Phdr = NULL;
  dl_iterate_phdr(firstPhdr, &Phdr);
  printf("entry is _start: %d\n", getauxval(AT_ENTRY) == (unsigned long)_start);
  printf("phdr is the program's: %d\n",
         getauxval(AT_PHDR) == (unsigned long)Phdr);
  printf("has an interpreter: %d\n", getauxval(AT_BASE) != 0);
  printf("secure: %lu, pagesz: %lu, random: %d\n", getauxval(AT_SECURE),
         getauxval(AT_PAGESZ), getauxval(AT_RANDOM) != 0);
  printf("ids: %d %d %d %d\n", getauxval(AT_UID) == getuid(),
         getauxval(AT_EUID) == geteuid(), getauxval(AT_GID) == getgid(),
         getauxval(AT_EGID) == getegid());
  printf("/proc/self/auxv matches: %d\n", auxvMatches());
  for (int Fd = 5; Fd <= 6; ++Fd)
    printf("fd %d: %s\n", Fd, fcntl(Fd, F_GETFD) < 0 ? "closed" : "open");
  // The host's own descriptors, far up the table.
  for (int Fd = 700; Fd <= 703; ++Fd)
    printf("fd %d: %s\n", Fd, fcntl(Fd, F_GETFD) < 0 ? "closed" : "open");
  printf("SIGUSR1: %s, SIGUSR2: %s, SIGHUP: %s\n", disposition(SIGUSR1),
         disposition(SIGUSR2), disposition(SIGHUP));
  printAction("SIGWINCH", SIGWINCH);
  printAction("SIGPWR", SIGPWR);
  printAction("SIGURG", SIGURG);
  sigset_t Mask, Pending;
  sigprocmask(SIG_BLOCK, NULL, &Mask);
  sigpending(&Pending);
  printf("SIGTERM blocked: %d, pending: %d; SIGQUIT blocked: %d\n",
         sigismember(&Mask, SIGTERM), sigismember(&Pending, SIGTERM),
         sigismember(&Mask, SIGQUIT));
  stack_t Alt;
  sigaltstack(NULL, &Alt);
  printf("alternate stack: %s\n",
         (Alt.ss_flags & SS_DISABLE) ? "disabled" : "set");
  int Timers = 0;
  FILE *T = fopen("/proc/self/timers", "r");
  char Line[256];
  while (T && fgets(Line, sizeof(Line), T))
    Timers += strncmp(Line, "ID:", 3) == 0;
  if (T)
    fclose(T);
  printf("posix timers: %d\n", Timers);
  // The stack pointer lies in [stack]; the heap grows; nothing is mapped
  // above the stack but [vsyscall] (the old image's mapping there is gone).
  unsigned long Sp = (unsigned long)&Timers, Start, End, StackEnd = 0;
  int InStack = 0, Above = 0;
  FILE *M = fopen("/proc/self/maps", "r");
  while (M && fgets(Line, sizeof(Line), M)) {
    if (sscanf(Line, "%lx-%lx", &Start, &End) != 2)
      continue;
    if (strstr(Line, "[stack]")) {
      InStack |= Sp >= Start && Sp < End;
      StackEnd = End;
    } else if (StackEnd && Start >= StackEnd && !strstr(Line, "[vsyscall]")) {
      ++Above;
    }
  }
  if (M)
    fclose(M);
  printf("mappings above [stack]: %d\n", Above);
  void *Before = sbrk(0);
  printf("sp in [stack]: %d, brk grows: %d\n", InStack,
         Before != (void *)-1 && sbrk(1 << 20) == Before &&
             sbrk(0) == (char *)Before + (1 << 20));
  char *Big = malloc(64 << 20);
  memset(Big, 1, 64 << 20);
  printf("malloc: %d\n", Big[12345]);
  fflush(stdout);
  return 0;
}

static int setUpAndExec(const char *Target, int Direct) {
  int Null = open("/dev/null", O_RDONLY);
  dup2(Null, 5);
  dup3(Null, 6, O_CLOEXEC);
  close(Null);
  // Descriptors the host makes (passed through, their flags the host's):
  // kept, close-on-exec from the start, close-on-exec set later, and kept
  // again after the flag was cleared.
  int Counter = eventfd(0, 0);
  dup2(Counter, 700);
  close(Counter);
  int Pair[2];
  socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, Pair);
  dup3(Pair[0], 701, O_CLOEXEC);
  dup2(Pair[1], 702);
  fcntl(702, F_SETFD, FD_CLOEXEC);
  dup3(Pair[1], 703, O_CLOEXEC);
  fcntl(703, F_SETFD, 0);
  close(Pair[0]);
  close(Pair[1]);
  struct sigaction Caught = {.sa_handler = onSignal};
  sigaction(SIGUSR1, &Caught, NULL);
  Caught.sa_flags = SA_RESTART | SA_ONSTACK;
  sigaction(SIGHUP, &Caught, NULL);
  signal(SIGUSR2, SIG_IGN);
  // A default action with flags and a mask: exec clears them.
  struct sigaction Default = {.sa_handler = SIG_DFL, .sa_flags = SA_RESTART};
  sigaddset(&Default.sa_mask, SIGUSR1);
  sigaction(SIGURG, &Default, NULL);
  sigset_t Block;
  sigemptyset(&Block);
  sigaddset(&Block, SIGTERM);
  sigaddset(&Block, SIGQUIT);
  sigprocmask(SIG_BLOCK, &Block, NULL);
  kill(getpid(), SIGTERM);
  static char AltStack[65536];
  stack_t Alt = {.ss_sp = AltStack, .ss_size = sizeof(AltStack)};
  sigaltstack(&Alt, NULL);
  timer_t Timer;
  struct sigevent Event = {.sigev_notify = SIGEV_NONE};
  timer_create(CLOCK_MONOTONIC, &Event, &Timer);
  setenv("FOO", "bar baz", 1);
  // A mapping above the stack, a little way up (the exec's own pages may
  // go between): the exec drops it as every other mapping of the image.
  FILE *Maps = fopen("/proc/self/maps", "r");
  char Line[256];
  unsigned long Start, End;
  while (Maps && fgets(Line, sizeof(Line), Maps))
    if (strstr(Line, "[stack]") && sscanf(Line, "%lx-%lx", &Start, &End) == 2)
      mmap((void *)(End + (1 << 20)), 4096, PROT_READ | PROT_WRITE,
           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (Maps)
    fclose(Maps);
  char *Args[] = {"renamed", "show", "two words", "", NULL};
  fflush(stdout);
  // glibc's execve traps; syscall() is the personality's direct branch.
  if (Direct)
    syscall(SYS_execve, Target, Args, environ);
  else
    execve(Target, Args, environ);
  printf("exec %s: %s\n", Target, strerror(errno));
  return 1;
}

static void tryExec(const char *Path) {
  char *Args[] = {(char *)Path, "show", NULL};
  execve(Path, Args, environ);
  const char *Name = strrchr(Path, '/');
  printf("exec %s: %s\n", Name ? Name + 1 : Path, strerror(errno));
}

static void writeFile(const char *Path, const char *Text, mode_t Mode) {
  int Fd = open(Path, O_WRONLY | O_CREAT | O_TRUNC, Mode);
  if (write(Fd, Text, strlen(Text)) < 0)
    perror("write");
  close(Fd);
  chmod(Path, Mode);
}

static int errors(const char *Dir, const char *Target) {
  char Path[4096];
  snprintf(Path, sizeof(Path), "%s/missing", Dir);
  tryExec(Path);
  snprintf(Path, sizeof(Path), "%s/not-executable", Dir);
  writeFile(Path, "#!/bin/sh\necho never\n", 0644);
  tryExec(Path);
  snprintf(Path, sizeof(Path), "%s/garbage", Dir);
  writeFile(Path,
            "\x7f"
            "ELF garbage, not a program\n",
            0755);
  tryExec(Path);
  snprintf(Path, sizeof(Path), "%s/text", Dir);
  writeFile(Path, "just text\n", 0755);
  tryExec(Path);
  tryExec(Dir);
  printf("still running\n");
  // A #! script, then the target; each from a child, one after the other.
  snprintf(Path, sizeof(Path), "%s/script", Dir);
  writeFile(Path, "#!/bin/sh -e\necho \"script: $# ${1:-none} $2\"\n", 0755);
  fflush(stdout);
  pid_t Child = fork();
  if (Child == 0) {
    char *Args[] = {"script", "one", "two", NULL};
    execve(Path, Args, environ);
    _exit(127);
  }
  int Status;
  waitpid(Child, &Status, 0);
  printf("script exited %d\n", WEXITSTATUS(Status));
  fflush(stdout);
  char *Args[] = {(char *)Target, "show", NULL};
  execve(Target, Args, environ);
  printf("exec %s: %s\n", Target, strerror(errno));
  return 1;
}

static int fromVfork(const char *Target) {
  fflush(stdout);
  pid_t Child = vfork();
  if (Child == 0) {
    char *Args[] = {"from-vfork", "show", NULL};
    execve(Target, Args, environ);
    _exit(127);
  }
  int Status;
  waitpid(Child, &Status, 0);
  printf("vfork child exited %d\n", WEXITSTATUS(Status));
  return 0;
}

static int fromFork(const char *Target) {
  timer_t Timer;
  struct sigevent Event = {.sigev_notify = SIGEV_NONE};
  timer_create(CLOCK_MONOTONIC, &Event, &Timer);
  fflush(stdout);
  pid_t Child = fork();
  if (Child == 0) {
    timer_create(CLOCK_MONOTONIC, &Event, &Timer);
    char *Args[] = {"from-fork", "show", NULL};
    execve(Target, Args, environ);
    _exit(127);
  }
  int Status;
  waitpid(Child, &Status, 0);
  printf("fork child exited %d\n", WEXITSTATUS(Status));
  return 0;
}

int main(int Argc, char **Argv) {
  if (Argc >= 2 && strcmp(Argv[1], "show") == 0)
    return show(Argc, Argv);
  if (Argc == 3 && strcmp(Argv[1], "exec") == 0)
    return setUpAndExec(Argv[2], 0);
  if (Argc == 3 && strcmp(Argv[1], "exec-direct") == 0)
    return setUpAndExec(Argv[2], 1);
  if (Argc == 4 && strcmp(Argv[1], "errors") == 0)
    return errors(Argv[2], Argv[3]);
  if (Argc == 3 && strcmp(Argv[1], "vfork") == 0)
    return fromVfork(Argv[2]);
  if (Argc == 3 && strcmp(Argv[1], "fork") == 0)
    return fromFork(Argv[2]);
  fprintf(stderr, "usage: %s exec|show|errors|vfork ...\n", Argv[0]);
  return 2;
}
