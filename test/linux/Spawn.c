// test/linux/Spawn.c: posix_spawn with file actions on K42 files (the child
// runs in its parent's memory until it execs), natively on a host folder
// and on K42's /tmp under the personality; what it prints must be the same.
//
//   linux-spawn DIR        the spawns below, in DIR (made here)
//   linux-spawn --child B  the spawned program: writes to its stdout (a file
//                          dup2'd there), checks B was closed, writes to fd 7
//   linux-spawn --hello    a copy of this program in DIR says hello
//   linux-spawn --pwd D    prints whether its cwd is D
//   linux-spawn --small-stack DIR
//                          a clone(CLONE_VM | CLONE_VFORK) child on a 16 KiB
//                          stack (a guard page below) opens, writes, stats
//                          and chdirs into DIR (made here): a stack as small
//                          as glibc gives posix_spawn's child, which the
//                          personality's lookups must not run on
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const char *name(int E) {
  switch (E) {
  case 0:
    return "ok";
  case ENOENT:
    return "ENOENT";
  case EBADF:
    return "EBADF";
  case EACCES:
    return "EACCES";
  default:
    return strerror(E);
  }
}

static int child(int Argc, char **Argv) {
  if (Argc != 3)
    return 2;
  int B = atoi(Argv[2]);
  printf("child: stdout is the file\n");
  errno = 0;
  int R = fcntl(B, F_GETFD);
  printf("child: b %s\n", R < 0 ? name(errno) : "open");
  printf("child: fd 7 write %zd\n", write(7, "seven\n", 6));
  printf("child: fd 7 append flag %d\n", (fcntl(7, F_GETFL) & O_APPEND) != 0);
  return 3;
}

/// The whole of \p Path, printed with \p Label.
static void show(const char *Label, const char *Path) {
  char Buf[512] = {0};
  int Fd = open(Path, O_RDONLY);
  ssize_t N = Fd < 0 ? -1 : read(Fd, Buf, sizeof(Buf) - 1);
  printf("%s (%zd bytes):\n%s", Label, N, N > 0 ? Buf : "");
  if (Fd >= 0)
    close(Fd);
}

/// How many descriptors the program has (below 1000: the personality
/// keeps its own connections above, made when it first needs them).
static int countFds(void) {
  int N = 0;
  for (int Fd = 0; Fd < 1000; ++Fd)
    N += fcntl(Fd, F_GETFD) >= 0;
  return N;
}

static void onSignal(int Signal) { (void)Signal; }

/// Whether \p Signal's action is still onSignal.
static int kept(int Signal) {
  struct sigaction Now;
  return sigaction(Signal, NULL, &Now) == 0 && Now.sa_handler == onSignal;
}

static int waitFor(pid_t Pid) {
  int Status = 0;
  if (waitpid(Pid, &Status, 0) != Pid)
    return -1;
  return WIFEXITED(Status) ? WEXITSTATUS(Status) : 128 + WTERMSIG(Status);
}

/// Copies this program to \p To (executable): a program only K42 has,
/// under the personality.
static int copySelf(const char *To) {
  int In = open("/proc/self/exe", O_RDONLY);
  int Out = open(To, O_WRONLY | O_CREAT | O_TRUNC, 0755);
  if (In < 0 || Out < 0)
    return -1;
  static char Buf[65536];
  ssize_t N;
  while ((N = read(In, Buf, sizeof(Buf))) > 0)
    if (write(Out, Buf, (size_t)N) != N)
      return -1;
  close(In);
  return close(Out);
}

/// The small-stack child's file and folder, set by its parent: nothing of
/// size may live on its stack.
static char SmallFile[PATH_MAX];
static char SmallDir[PATH_MAX];

static int smallStackChild(void *Unused) {
  (void)Unused;
  int Fd = open(SmallFile, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (Fd < 0)
    _exit(10);
  if (write(Fd, "small\n", 6) != 6 || close(Fd) != 0)
    _exit(11);
  struct stat St;
  if (stat(SmallFile, &St) != 0 || St.st_size != 6)
    _exit(12);
  if (chdir(SmallDir) != 0)
    _exit(13);
  _exit(0);
}

static int smallStack(const char *Dir) {
  snprintf(SmallDir, sizeof(SmallDir), "%s/deeper/still", Dir);
  snprintf(SmallFile, sizeof(SmallFile), "%s/file", SmallDir);
  char Deeper[PATH_MAX];
  snprintf(Deeper, sizeof(Deeper), "%s/deeper", Dir);
  if ((mkdir(Dir, 0755) && errno != EEXIST) || mkdir(Deeper, 0755) ||
      mkdir(SmallDir, 0755))
    return 1;
  const size_t Page = 4096, Bytes = 16 * 1024;
  char *Map = mmap(NULL, Page + Bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (Map == MAP_FAILED || mprotect(Map, Page, PROT_NONE))
    return 1;
  char Cwd[PATH_MAX], Again[PATH_MAX];
  if (!getcwd(Cwd, sizeof(Cwd)))
    return 1;
  pid_t Pid = clone(smallStackChild, Map + Page + Bytes,
                    CLONE_VM | CLONE_VFORK | SIGCHLD, NULL);
  printf("small-stack child: exit %d\n", Pid < 0 ? -1 : waitFor(Pid));
  show("its file", SmallFile);
  printf("parent cwd unchanged %d\n",
         getcwd(Again, sizeof(Again)) && strcmp(Cwd, Again) == 0);
  return 0;
}

/// A spawn (system's) before the process's first pipe, then pipes: the
/// spawn child's connection to the pipe server was kept in its parent's
/// memory with a number only the child had, and every later pipe() of the
/// parent was EBADF (an image exec'd twice: `bash -c PROG`; make's
/// $(shell) after a recipe, python's subprocess; battery 40).
static int thenPipe(void) {
  printf("system %d\n", system("true"));
  int P[2];
  if (pipe(P) != 0) {
    printf("pipe after system: %s\n", strerror(errno));
    return 1;
  }
  printf("pipe after system: ok, %zd\n", write(P[1], "x", 1));
  FILE *Out = popen("echo through popen", "r");
  char Line[64] = "";
  if (!Out || !fgets(Line, sizeof(Line), Out)) {
    printf("popen: %s\n", strerror(errno));
    return 1;
  }
  printf("popen: %s", Line);
  printf("pclose %d\n", pclose(Out));
  return 0;
}

int main(int Argc, char **Argv) {
  if (Argc >= 2 && strcmp(Argv[1], "--child") == 0)
    return child(Argc, Argv);
  if (Argc >= 2 && strcmp(Argv[1], "--hello") == 0) {
    printf("hello from the copy, %d arguments\n", Argc);
    return 7;
  }
  if (Argc == 3 && strcmp(Argv[1], "--pwd") == 0) {
    char Here[PATH_MAX];
    printf("child cwd is the folder %d\n",
           getcwd(Here, sizeof(Here)) && strcmp(Here, Argv[2]) == 0);
    return 0;
  }
  setvbuf(stdout, NULL, _IONBF, 0);
  if (Argc == 3 && strcmp(Argv[1], "--small-stack") == 0)
    return smallStack(Argv[2]);
  if (Argc == 2 && strcmp(Argv[1], "--then-pipe") == 0)
    return thenPipe();
  if (Argc != 2)
    return 2;
  const char *Dir = Argv[1];
  char A[PATH_MAX], B[PATH_MAX], C[PATH_MAX], Prog[PATH_MAX], Missing[PATH_MAX];
  snprintf(A, sizeof(A), "%s/a", Dir);
  snprintf(B, sizeof(B), "%s/b", Dir);
  snprintf(C, sizeof(C), "%s/c", Dir);
  snprintf(Prog, sizeof(Prog), "%s/prog", Dir);
  snprintf(Missing, sizeof(Missing), "%s/no/such", Dir);
  if (mkdir(Dir, 0755) != 0) {
    printf("mkdir %s\n", strerror(errno));
    return 1;
  }

  // Handlers the spawn child resets to SIG_DFL (in its parent's memory).
  struct sigaction Handler = {0};
  Handler.sa_handler = onSignal;
  sigaction(SIGSEGV, &Handler, NULL);
  sigaction(SIGBUS, &Handler, NULL);
  sigaction(SIGUSR1, &Handler, NULL);

  // The parent's descriptors: a (read-write, the child's stdout), b
  // (append, closed in the child), r (read-only at offset 2).
  int Fa = open(A, O_RDWR | O_CREAT | O_TRUNC, 0644);
  int Fb = open(B, O_WRONLY | O_CREAT | O_APPEND, 0644);
  printf("write a %zd b %zd\n", write(Fa, "parent\n", 7), write(Fb, "b1\n", 3));
  int Fr = open(B, O_RDONLY);
  printf("lseek r %ld\n", (long)lseek(Fr, 2, SEEK_SET));
  printf("descriptors %d %d %d\n", Fa, Fb, Fr);
  int Before = countFds();

  // dup2 of a K42 file to stdout, close of another, open (O_CREAT) of a
  // K42 path at 7.
  posix_spawn_file_actions_t Actions;
  posix_spawn_file_actions_init(&Actions);
  posix_spawn_file_actions_adddup2(&Actions, Fa, 1);
  posix_spawn_file_actions_addclose(&Actions, Fb);
  posix_spawn_file_actions_addopen(
      &Actions, 7, C, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
  char FbText[16];
  snprintf(FbText, sizeof(FbText), "%d", Fb);
  char *ChildArgs[] = {Argv[0], "--child", FbText, NULL};
  pid_t Pid;
  int R = posix_spawn(&Pid, Argv[0], &Actions, NULL, ChildArgs, environ);
  printf("spawn %s, exit %d\n", name(R), R ? -1 : waitFor(Pid));
  posix_spawn_file_actions_destroy(&Actions);

  // The parent's table as it was: stdout is still the test's, b is open
  // with O_APPEND at its offset, r at 2, 7 is not open.
  printf("after: stdout still ours\n");
  int Open = fcntl(Fb, F_GETFD) >= 0;
  int Append = (fcntl(Fb, F_GETFL) & O_APPEND) != 0;
  long Offset = (long)lseek(Fb, 0, SEEK_CUR);
  printf("after: b open %d append %d offset %ld", Open, Append, Offset);
  printf(" write %zd\n", write(Fb, "b2\n", 3));
  char Word[8] = {0};
  printf("after: r offset %ld", (long)lseek(Fr, 0, SEEK_CUR));
  ssize_t Got = read(Fr, Word, 4);
  printf(" read %zd '%s'\n", Got, Word[0] == '\n' ? Word + 1 : Word);
  errno = 0;
  char Byte;
  ssize_t N7 = read(7, &Byte, 1);
  printf("after: fd 7 read %zd %s\n", N7, name(N7 < 0 ? errno : 0));
  printf("after: a offset %ld (shared with the child's stdout)\n",
         (long)lseek(Fa, 0, SEEK_CUR));
  printf("after: descriptors unchanged %d\n", countFds() == Before);
  show("a", A);
  show("b", B);
  show("c", C);

  // A program that lives in DIR only (on K42: K42's /tmp, not the host's).
  printf("copy %d\n", copySelf(Prog));
  char *HelloArgs[] = {"prog", "--hello", "x", NULL};
  R = posix_spawn(&Pid, Prog, NULL, NULL, HelloArgs, environ);
  printf("spawn copy %s, exit %d\n", name(R), R ? -1 : waitFor(Pid));
  // Its output into a K42 file through dup2.
  posix_spawn_file_actions_init(&Actions);
  posix_spawn_file_actions_addopen(&Actions, 1, C, O_WRONLY | O_TRUNC, 0);
  R = posix_spawn(&Pid, Prog, &Actions, NULL, HelloArgs, environ);
  printf("spawn copy to c %s, exit %d\n", name(R), R ? -1 : waitFor(Pid));
  posix_spawn_file_actions_destroy(&Actions);
  show("c", C);
  // Found on PATH.
  char Path[PATH_MAX + 16];
  snprintf(Path, sizeof(Path), "%s:/usr/bin:/bin", Dir);
  setenv("PATH", Path, 1);
  R = posix_spawnp(&Pid, "prog", NULL, NULL, HelloArgs, environ);
  printf("spawnp copy %s, exit %d\n", name(R), R ? -1 : waitFor(Pid));

  // Errors come back from the child; the parent's table stays.
  char *None[] = {"none", NULL};
  R = posix_spawn(&Pid, Missing, NULL, NULL, None, environ);
  printf("spawn missing %s\n", name(R));
  posix_spawn_file_actions_init(&Actions);
  posix_spawn_file_actions_addopen(&Actions, 5, Missing, O_WRONLY | O_CREAT,
                                   0644);
  R = posix_spawn(&Pid, Prog, &Actions, NULL, HelloArgs, environ);
  printf("spawn open missing %s\n", name(R));
  posix_spawn_file_actions_destroy(&Actions);
  // Without execute permission: EACCES (a K42 file's copy ran, battery
  // 40), and posix_spawnp passes it over for the next one on PATH.
  chmod(Prog, 0644);
  R = posix_spawn(&Pid, Prog, NULL, NULL, HelloArgs, environ);
  printf("spawn mode 644 %s\n", name(R));
  snprintf(Path, sizeof(Path), "%s:%s/sub", Dir, Dir);
  char Sub[PATH_MAX + 8];
  snprintf(Sub, sizeof(Sub), "%s/sub", Dir);
  mkdir(Sub, 0755);
  snprintf(Sub, sizeof(Sub), "%s/sub/prog", Dir);
  copySelf(Sub);
  setenv("PATH", Path, 1);
  R = posix_spawnp(&Pid, "prog", NULL, NULL, HelloArgs, environ);
  printf("spawnp past a mode 644 one %s, exit %d\n", name(R),
         R ? -1 : waitFor(Pid));
  unlink(Sub);
  snprintf(Sub, sizeof(Sub), "%s/sub", Dir);
  rmdir(Sub);
  chmod(Prog, 0755);

  // The child's cwd is its own.
  char Cwd[PATH_MAX], Again[PATH_MAX];
  if (!getcwd(Cwd, sizeof(Cwd)))
    return 1;
  posix_spawn_file_actions_init(&Actions);
  posix_spawn_file_actions_addchdir_np(&Actions, Dir);
  char *PwdArgs[] = {"prog", "--pwd", (char *)Dir, NULL};
  R = posix_spawn(&Pid, Prog, &Actions, NULL, PwdArgs, environ);
  printf("spawn chdir %s, exit %d\n", name(R), R ? -1 : waitFor(Pid));
  posix_spawn_file_actions_destroy(&Actions);
  printf("parent cwd unchanged %d\n",
         getcwd(Again, sizeof(Again)) && strcmp(Cwd, Again) == 0);

  // Many spawns, each with its dup2, close and open: nothing left behind.
  Before = countFds();
  int Fails = 0;
  for (int I = 0; I < 30; ++I) {
    posix_spawn_file_actions_init(&Actions);
    posix_spawn_file_actions_adddup2(&Actions, Fa, 1);
    posix_spawn_file_actions_addclose(&Actions, Fb);
    posix_spawn_file_actions_addopen(&Actions, 7, C, O_WRONLY | O_CREAT, 0644);
    R = posix_spawn(&Pid, Argv[0], &Actions, NULL, ChildArgs, environ);
    Fails += R != 0 || waitFor(Pid) != 3;
    posix_spawn_file_actions_destroy(&Actions);
  }
  printf("30 spawns: failures %d, descriptors unchanged %d\n", Fails,
         countFds() == Before);
  printf("handlers kept: SIGSEGV %d SIGBUS %d SIGUSR1 %d\n", kept(SIGSEGV),
         kept(SIGBUS), kept(SIGUSR1));
  printf("after all: b write %zd", write(Fb, "b3\n", 3));
  printf(" r pread %zd\n", pread(Fr, Word, 3, 0));
  return 0;
}
