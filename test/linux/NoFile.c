// RLIMIT_NOFILE as a program sees it (nofile.test): in a folder (argv[1]),
// the soft limit lowered to 32, then opens of a file until they fail
// (how many, counted with the descriptors the program already had, and
// the errno), pipe, dup, F_DUPFD, socket, eventfd and epoll_create past it,
// dup2/dup3 and F_DUPFD to a number at or past it; a child exec'd with
// the lowered limit (its getrlimit, and its opens until EMFILE); the soft
// limit raised back up to the hard limit, and a descriptor past 32 then;
// setrlimit's refusals (soft above hard, hard past fs.nr_open) and
// prlimit64 of the process itself. Prints only what is the same natively
// and under K42 (no absolute limits, which are the environment's).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

enum { Low = 32 };

static const char *result(long R) {
  if (R >= 0)
    return "ok";
  switch (errno) {
  case EMFILE:
    return "EMFILE";
  case EBADF:
    return "EBADF";
  case EINVAL:
    return "EINVAL";
  case EPERM:
    return "EPERM";
  default:
    return strerror(errno);
  }
}

/// Descriptors open below Low.
static int held(void) {
  int N = 0;
  for (int Fd = 0; Fd < Low; ++Fd)
    if (fcntl(Fd, F_GETFD) >= 0)
      ++N;
  return N;
}

/// Opens \p Path (close-on-exec) until an open fails; prints how many
/// descriptors that made with those already held, and the errno.
static void openAll(const char *Who, const char *Path) {
  int Had = held(), Opened = 0;
  for (;;) {
    int Fd = open(Path, O_RDONLY | O_CLOEXEC);
    if (Fd < 0)
      break;
    if (Fd >= Low)
      printf("%s: descriptor %d past the limit\n", Who, Fd);
    ++Opened;
  }
  printf("%s: held %d, opened until %s, %s\n", Who, Had + Opened, result(-1),
         Had + Opened == Low ? "the limit" : "NOT the limit");
}

static void showLimit(const char *Who, rlim_t Hard) {
  struct rlimit L;
  if (getrlimit(RLIMIT_NOFILE, &L) != 0) {
    printf("%s: getrlimit %s\n", Who, result(-1));
    return;
  }
  printf("%s: soft %llu, hard %s\n", Who, (unsigned long long)L.rlim_cur,
         L.rlim_max == Hard ? "unchanged" : "CHANGED");
}

int main(int Argc, char **Argv) {
  if (Argc < 2) {
    fprintf(stderr, "usage: %s FOLDER | --child FILE HARD\n", Argv[0]);
    return 2;
  }
  if (Argc == 4 && strcmp(Argv[1], "--child") == 0) {
    showLimit("child", strtoull(Argv[3], NULL, 10));
    openAll("child", Argv[2]);
    return 0;
  }
  char File[4096];
  snprintf(File, sizeof(File), "%s/file", Argv[1]);
  int Fd = open(File, O_CREAT | O_WRONLY | O_TRUNC, 0644);
  if (Fd < 0 || write(Fd, "x", 1) != 1 || close(Fd) != 0) {
    perror(File);
    return 1;
  }
  struct rlimit Start;
  getrlimit(RLIMIT_NOFILE, &Start);
  rlim_t Hard = Start.rlim_max;
  struct rlimit L = {Low, Hard};
  printf("setrlimit soft 32: %s\n", result(setrlimit(RLIMIT_NOFILE, &L)));
  showLimit("parent", Hard);
  struct rlimit P;
  printf("prlimit self: %s", result(prlimit(0, RLIMIT_NOFILE, NULL, &P)));
  printf(", soft %llu\n", (unsigned long long)P.rlim_cur);
  printf("prlimit own pid: %s",
         result(prlimit(getpid(), RLIMIT_NOFILE, NULL, &P)));
  printf(", soft %llu\n", (unsigned long long)P.rlim_cur);

  // The child first, with few descriptors of the parent's.
  fflush(stdout);
  pid_t Child = fork();
  if (Child == 0) {
    char HardText[32];
    snprintf(HardText, sizeof(HardText), "%llu", (unsigned long long)Hard);
    execl("/proc/self/exe", Argv[0], "--child", File, HardText, (char *)NULL);
    _exit(127);
  }
  int Status = 0;
  waitpid(Child, &Status, 0);
  fflush(stdout);

  openAll("parent", File);
  int Fds[2];
  printf("pipe: %s\n", result(pipe(Fds)));
  printf("dup: %s\n", result(dup(0)));
  printf("F_DUPFD 0: %s\n", result(fcntl(0, F_DUPFD, 0)));
  printf("F_DUPFD 32: %s\n", result(fcntl(0, F_DUPFD, Low)));
  printf("F_DUPFD_CLOEXEC 40: %s\n", result(fcntl(0, F_DUPFD_CLOEXEC, 40)));
  // Linux looks at the descriptor before the start: EBADF for one not
  // open (dash's `exec 9>file` under `ulimit -n 10` asks F_DUPFD of 9).
  printf("F_DUPFD 40 of a closed number: %s\n",
         result(fcntl(500, F_DUPFD, 40)));
  printf("socket: %s\n", result(socket(AF_UNIX, SOCK_STREAM, 0)));
  printf("socketpair: %s\n", result(socketpair(AF_UNIX, SOCK_STREAM, 0, Fds)));
  printf("eventfd: %s\n", result(eventfd(0, 0)));
  printf("epoll_create1: %s\n", result(epoll_create1(0)));
  printf("dup2 to 32: %s\n", result(dup2(0, Low)));
  printf("dup2 to 500: %s\n", result(dup2(0, 500)));
  printf("dup3 to 40: %s\n", result(dup3(0, 40, O_CLOEXEC)));
  printf("dup2 to 31 (held): %s\n", result(dup2(0, Low - 1)));
  // One free below the limit: the next open takes it.
  close(Low - 1);
  Fd = open(File, O_RDONLY);
  printf("after a close: open %s at %s\n", result(Fd),
         Fd == Low - 1 ? "the freed number" : "ANOTHER number");
  printf("then: open %s\n", result(open(File, O_RDONLY)));

  L.rlim_cur = Hard + 1;
  printf("soft above hard: %s\n", result(setrlimit(RLIMIT_NOFILE, &L)));
  L = (struct rlimit){Hard, Hard};
  printf("soft back to hard: %s\n", result(setrlimit(RLIMIT_NOFILE, &L)));
  getrlimit(RLIMIT_NOFILE, &P);
  printf("soft is hard: %s\n", P.rlim_cur == Hard ? "yes" : "no");
  Fd = open(File, O_RDONLY);
  printf("open past 32: %s, %s\n", result(Fd),
         Fd >= Low ? "at or past 32" : "BELOW 32");
  printf("dup2 to 40: %s\n", result(dup2(0, 40)));

  FILE *NrOpen = fopen("/proc/sys/fs/nr_open", "r");
  unsigned long long Max = 0;
  if (NrOpen && fscanf(NrOpen, "%llu", &Max) == 1) {
    L = (struct rlimit){Low, Max + 1};
    printf("hard past nr_open: %s\n", result(setrlimit(RLIMIT_NOFILE, &L)));
  }
  if (NrOpen)
    fclose(NrOpen);
  getrlimit(RLIMIT_NOFILE, &P);
  printf("after the refusals: soft is hard %s, hard %s\n",
         P.rlim_cur == Hard ? "yes" : "no",
         P.rlim_max == Hard ? "unchanged" : "CHANGED");
  return 0;
}
