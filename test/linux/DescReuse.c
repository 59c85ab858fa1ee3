// DescReuse.c DIR [spawned|execd]: a description closed and the next open
// made, where another holder of the first must still see its own file
// (desc-reuse.test). Under K42 the next open reuses the memfd of the last
// description the process closed (runtime/linux/DescriptionPool.cpp)
// unless another process may hold it: a fork child, a program posix_spawn
// started, a process sent the descriptor with SCM_RIGHTS, an exec'd
// image; a dup in the process itself. Each holder prints what its
// descriptor reads, its offset, its status flags and its name, after the
// opener has closed its own and opened, written and closed other files;
// the next open has no owner or signal an earlier one was given (the
// host keeps them with the placeholder's open, which a reuse shares).
// A reused description a holder still had shows as the other file's
// bytes or name.
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static char Dir[512];

static const char *at(const char *Name) {
  static char Path[2][600];
  static int Turn;
  char *P = Path[Turn++ & 1];
  snprintf(P, sizeof(Path[0]), "%s/%s", Dir, Name);
  return P;
}

static void make(const char *Name, const char *Text) {
  int Fd = open(at(Name), O_CREAT | O_TRUNC | O_WRONLY, 0644);
  if (Fd < 0 || write(Fd, Text, strlen(Text)) != (long)strlen(Text)) {
    perror(Name);
    exit(1);
  }
  close(Fd);
}

/// What \p Fd reads from its offset (up to 15 bytes), its offset after,
/// its access mode and O_APPEND, and the last part of its name.
static void show(const char *Who, int Fd) {
  char Buf[16];
  long N = read(Fd, Buf, sizeof(Buf) - 1);
  Buf[N < 0 ? 0 : N] = 0;
  int Fl = fcntl(Fd, F_GETFL);
  char Link[64], Name[600];
  snprintf(Link, sizeof(Link), "/proc/self/fd/%d", Fd);
  long L = readlink(Link, Name, sizeof(Name) - 1);
  Name[L < 0 ? 0 : L] = 0;
  const char *Base = strrchr(Name, '/');
  printf("%s: '%s' offset %ld %s%s name %s\n", Who, Buf,
         (long)lseek(Fd, 0, SEEK_CUR),
         (Fl & O_ACCMODE) == O_RDONLY   ? "r"
         : (Fl & O_ACCMODE) == O_WRONLY ? "w"
                                        : "rw",
         Fl & O_APPEND ? "+append" : "", Base ? Base + 1 : "?");
}

/// Opens, writes and closes other files: each a chance to reuse a
/// description this process closed.
static void churn(void) {
  for (int I = 0; I < 3; ++I) {
    int Fd = open(at("other"), O_CREAT | O_RDWR | O_APPEND, 0644);
    if (write(Fd, "OTHER", 5) != 5)
      perror("churn");
    lseek(Fd, 1, SEEK_SET);
    close(Fd);
  }
}

/// Sends \p Fd over \p Sock with SCM_RIGHTS and a byte (0 or -1), or,
/// with \p Fd -1, receives one (the descriptor or -1).
static int passFd(int Sock, int Fd) {
  char Byte = 'f';
  char Control[CMSG_SPACE(sizeof(int))] = {0};
  struct iovec V = {&Byte, 1};
  struct msghdr M = {0};
  M.msg_iov = &V;
  M.msg_iovlen = 1;
  M.msg_control = Control;
  M.msg_controllen = sizeof(Control);
  if (Fd < 0) {
    if (recvmsg(Sock, &M, 0) != 1 || !CMSG_FIRSTHDR(&M))
      return -1;
    memcpy(&Fd, CMSG_DATA(CMSG_FIRSTHDR(&M)), sizeof(Fd));
    return Fd;
  }
  struct cmsghdr *C = CMSG_FIRSTHDR(&M);
  C->cmsg_level = SOL_SOCKET;
  C->cmsg_type = SCM_RIGHTS;
  C->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(C), &Fd, sizeof(Fd));
  return sendmsg(Sock, &M, 0) == 1 ? 0 : -1;
}

static int countFds(void) {
  DIR *D = opendir("/proc/self/fd");
  int N = 0;
  for (struct dirent *E; D && (E = readdir(D));)
    N += E->d_name[0] != '.';
  if (D)
    closedir(D);
  return N;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  snprintf(Dir, sizeof(Dir), "%s", argv[1]);
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc > 2 && !strcmp(argv[2], "spawned")) {
    char C;
    if (read(0, &C, 1) != 1) // until the parent has churned
      return 3;
    show("spawned", 9);
    return 0;
  }
  if (argc > 2 && !strcmp(argv[2], "execd")) {
    churn();
    show("execd", 10);
    return 0;
  }
  mkdir(Dir, 0755);
  make("a", "aaaaAAAA");
  make("b", "bbbbBBBB");

  printf("== fresh after reuse\n");
  int Fd = open(at("a"), O_WRONLY | O_APPEND);
  lseek(Fd, 3, SEEK_SET);
  close(Fd);
  Fd = open(at("b"), O_RDONLY);
  show("next open", Fd);
  close(Fd);

  printf("== owner and signal\n");
  Fd = open(at("a"), O_RDONLY);
  fcntl(Fd, F_SETOWN, getpid());
  fcntl(Fd, F_SETSIG, SIGUSR1);
  close(Fd);
  Fd = open(at("b"), O_RDONLY);
  printf("next open: owner %s, signal %d\n",
         fcntl(Fd, F_GETOWN) == 0 ? "none" : "set", fcntl(Fd, F_GETSIG));
  close(Fd);

  printf("== dup\n");
  Fd = open(at("a"), O_RDONLY);
  lseek(Fd, 2, SEEK_SET);
  int Dup = dup(Fd);
  close(Fd);
  churn();
  show("dup", Dup);
  close(Dup);

  printf("== fork child\n");
  int Go[2];
  if (pipe(Go))
    return 1;
  Fd = open(at("a"), O_RDWR);
  lseek(Fd, 4, SEEK_SET);
  pid_t Child = fork();
  if (Child == 0) {
    char C;
    close(Go[1]);
    if (read(Go[0], &C, 1) != 1)
      _exit(3);
    show("fork child", Fd);
    _exit(0);
  }
  close(Go[0]);
  close(Fd);
  churn();
  if (write(Go[1], "g", 1) != 1)
    return 1;
  close(Go[1]);
  int Status;
  waitpid(Child, &Status, 0);
  printf("child status %d\n", WEXITSTATUS(Status));
  // The parent's next opens, after the child's exit.
  Fd = open(at("b"), O_RDONLY);
  show("parent after", Fd);
  close(Fd);

  printf("== sent\n");
  int Sock[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, Sock))
    return 1;
  Child = fork();
  if (Child == 0) {
    close(Sock[0]);
    int Got = passFd(Sock[1], -1);
    char Byte;
    if (Got < 0)
      _exit(3);
    if (read(Sock[1], &Byte, 1) != 1) // until the sender has churned
      _exit(4);
    show("receiver", Got);
    _exit(0);
  }
  close(Sock[1]);
  Fd = open(at("a"), O_RDONLY);
  lseek(Fd, 1, SEEK_SET);
  if (passFd(Sock[0], Fd) < 0)
    perror("sendmsg");
  close(Fd);
  churn();
  if (write(Sock[0], "g", 1) != 1)
    return 1;
  waitpid(Child, &Status, 0);
  printf("receiver status %d\n", WEXITSTATUS(Status));
  close(Sock[0]);

  printf("== posix_spawn\n");
  if (pipe(Go))
    return 1;
  Fd = open(at("a"), O_RDONLY);
  lseek(Fd, 6, SEEK_SET);
  dup2(Fd, 9);
  close(Fd);
  posix_spawn_file_actions_t Actions;
  posix_spawn_file_actions_init(&Actions);
  posix_spawn_file_actions_adddup2(&Actions, Go[0], 0);
  posix_spawn_file_actions_addclose(&Actions, Go[1]);
  char *Args[] = {argv[0], Dir, "spawned", NULL};
  pid_t Spawned;
  if (posix_spawn(&Spawned, argv[0], &Actions, NULL, Args, environ))
    return 1;
  close(Go[0]);
  close(9);
  churn();
  if (write(Go[1], "g", 1) != 1)
    return 1;
  close(Go[1]);
  waitpid(Spawned, &Status, 0);
  printf("spawned status %d\n", WEXITSTATUS(Status));

  printf("== descriptors\n");
  int Before = countFds();
  churn();
  Fd = open(at("a"), O_RDONLY);
  close(Fd);
  printf("listed after closes: %+d\n", countFds() - Before);

  printf("== exec\n");
  Fd = open(at("a"), O_RDONLY);
  lseek(Fd, 5, SEEK_SET);
  dup2(Fd, 10);
  close(Fd);
  churn();
  char *ExecArgs[] = {argv[0], Dir, "execd", NULL};
  Child = fork();
  if (Child == 0) {
    execv(argv[0], ExecArgs);
    _exit(5);
  }
  close(10);
  churn();
  waitpid(Child, &Status, 0);
  printf("execd status %d\n", WEXITSTATUS(Status));
  return 0;
}
