// test/linux/ManyFiles.c: K42 files and pipe ends at numbers past 1024
// (the descriptor tables' first chunk), natively in a host folder and on
// K42's /tmp under the personality; what it prints must be the same.
//
//   linux-manyfiles DIR          the checks below, in DIR (made here)
//   linux-manyfiles child FD P   an exec'd program: reads FD (a file) from
//                                its start and pipe end P
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

enum { Many = 2000, Dup = 3000 };
static int Fds[Many];

/// What \p Fd holds from its start, and what pipe end \p P has, as a line.
static int readBoth(int Fd, int P) {
  char File[32] = {0}, Pipe[32] = {0};
  ssize_t F = pread(Fd, File, sizeof(File) - 1, 0);
  ssize_t N = read(P, Pipe, sizeof(Pipe) - 1);
  printf("file %zd '%s', pipe %zd '%s'\n", F, F > 0 ? File : "", N,
         N > 0 ? Pipe : "");
  return F > 0 && N > 0 ? 0 : 1;
}

static int waitFor(pid_t Pid) {
  int Status = 0;
  if (waitpid(Pid, &Status, 0) != Pid)
    return -1;
  return WIFEXITED(Status) ? WEXITSTATUS(Status) : 128 + WTERMSIG(Status);
}

int main(int Argc, char **Argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (Argc == 4 && strcmp(Argv[1], "child") == 0) {
    printf("exec child: ");
    return readBoth(atoi(Argv[2]), atoi(Argv[3]));
  }
  if (Argc != 2)
    return 2;
  struct rlimit L;
  if (getrlimit(RLIMIT_NOFILE, &L) != 0 || L.rlim_max < 4096) {
    printf("hard limit below 4096\n");
    return 0;
  }
  L.rlim_cur = 4096;
  if (setrlimit(RLIMIT_NOFILE, &L) != 0)
    return 1;
  const char *Dir = Argv[1];
  if (mkdir(Dir, 0755) != 0)
    return 1;
  char Path[PATH_MAX];
  int Opened = 0, Highest = -1;
  for (; Opened < Many; ++Opened) {
    snprintf(Path, sizeof(Path), "%s/f%d", Dir, Opened);
    int Fd = open(Path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (Fd < 0) {
      printf("open %d: %s\n", Opened, strerror(errno));
      break;
    }
    Fds[Opened] = Fd;
    Highest = Fd > Highest ? Fd : Highest;
  }
  printf("opened %d, highest past 2000: %s\n", Opened,
         Highest >= Many ? "yes" : "no");
  if (Opened < Many)
    return 1;
  int Last = Fds[Many - 1];
  printf("write %zd, pread '%s'\n", write(Last, "hello", 5),
         pread(Last, Path, 5, 0) == 5 ? (Path[5] = 0, Path) : "-");
  printf("dup2 %d: %s\n", Dup, dup2(Last, Dup) == Dup ? "ok" : strerror(errno));
  printf("write through it %zd, shared offset %ld\n", write(Dup, "!", 1),
         (long)lseek(Last, 0, SEEK_CUR));
  int P[2];
  if (pipe(P) != 0)
    return 1;
  printf("pipe past 2000: %s\n", P[0] >= Many && P[1] >= Many ? "yes" : "no");
  struct pollfd Poll = {P[0], POLLIN, 0};
  printf("poll empty %d", poll(&Poll, 1, 0));
  (void)!write(P[1], "one", 3);
  printf(", after a write %d revents %#x\n", poll(&Poll, 1, 0), Poll.revents);
  char Buf[8] = {0};
  printf("pipe read %zd '%s'\n", read(P[0], Buf, 7), Buf);

  // A fork child has them all.
  (void)!write(P[1], "two", 3);
  pid_t Pid = fork();
  if (Pid == 0) {
    printf("fork child: ");
    _exit(readBoth(Dup, P[0]));
  }
  printf("fork child exit %d\n", waitFor(Pid));

  // An exec'd program too.
  (void)!write(P[1], "three", 5);
  char FdArg[16], PipeArg[16];
  snprintf(FdArg, sizeof(FdArg), "%d", Dup);
  snprintf(PipeArg, sizeof(PipeArg), "%d", P[0]);
  Pid = fork();
  if (Pid == 0) {
    execl("/proc/self/exe", "linux-manyfiles", "child", FdArg, PipeArg,
          (char *)NULL);
    _exit(127);
  }
  printf("exec child exit %d\n", waitFor(Pid));

  // And a posix_spawn child's program (its child ran in this memory).
  (void)!write(P[1], "four", 4);
  char *Args[] = {"linux-manyfiles", "child", FdArg, PipeArg, NULL};
  int R = posix_spawn(&Pid, "/proc/self/exe", NULL, NULL, Args, environ);
  printf("spawn %s, exit %d\n", R ? strerror(R) : "ok", R ? -1 : waitFor(Pid));
  // A spawn child's own file actions stop below 1024 (SpawnView): one
  // there works as natively.
  posix_spawn_file_actions_t Actions;
  posix_spawn_file_actions_init(&Actions);
  posix_spawn_file_actions_adddup2(&Actions, Dup, 700);
  (void)!write(P[1], "five", 4);
  snprintf(FdArg, sizeof(FdArg), "%d", 700);
  R = posix_spawn(&Pid, "/proc/self/exe", &Actions, NULL, Args, environ);
  printf("spawn with dup2 to 700 %s, exit %d\n", R ? strerror(R) : "ok",
         R ? -1 : waitFor(Pid));
  posix_spawn_file_actions_destroy(&Actions);

  int Failed = 0;
  for (int I = 0; I < Many; ++I)
    Failed += close(Fds[I]) != 0;
  Failed += close(Dup) != 0;
  Failed += close(P[0]) != 0;
  Failed += close(P[1]) != 0;
  printf("closes failed: %d, then fstat %d: %s\n", Failed, Dup,
         fcntl(Dup, F_GETFD) < 0 ? strerror(errno) : "open");
  return 0;
}
