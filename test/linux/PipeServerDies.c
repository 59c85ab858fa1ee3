// test/linux/PipeServerDies.c: pipes whose other side goes while nothing
// can tell (pipe-server-dies.test kills K42's pipe server at that point;
// natively nothing happens there). Every pipe is made first; the program
// then makes DIR/ready and waits for DIR/go, and only after that do the
// other sides go: a reader blocked since before, one in poll, a reader
// and a writer that look afterwards. Each must end as Linux's does (EOF,
// POLLHUP, SIGPIPE and EPIPE), and a pipe made afterwards must work.
//
//   linux-pipeserverdies DIR
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t Sigpipes;
static void onSigpipe(int Sig) {
  (void)Sig;
  ++Sigpipes;
}

/// Waits until \p Path exists (the test's driver makes it).
static int await(const char *Path) {
  struct stat S;
  for (int I = 0; I < 3000; ++I) {
    if (stat(Path, &S) == 0)
      return 0;
    struct timespec T = {0, 10 * 1000 * 1000};
    nanosleep(&T, NULL);
  }
  return -1;
}

/// In a child: closes every descriptor from 3 up but \p Keep and \p Also.
static void keepOnly(int Keep, int Also) {
  for (int Fd = 3; Fd < 64; ++Fd)
    if (Fd != Keep && Fd != Also)
      close(Fd);
}

/// A child that waits for its end of \p Ctl to see EOF, then exits.
static void waitForEnd(int Ctl) {
  char C;
  while (read(Ctl, &C, 1) > 0)
    ;
}

int main(int Argc, char **Argv) {
  if (Argc != 2) {
    fprintf(stderr, "usage: linux-pipeserverdies DIR\n");
    return 2;
  }
  char Ready[4096], Go[4096];
  snprintf(Ready, sizeof(Ready), "%s/ready", Argv[1]);
  snprintf(Go, sizeof(Go), "%s/go", Argv[1]);
  setvbuf(stdout, NULL, _IONBF, 0);

  // Ctl: the children's signal to go (a host socket pair: EOF at the
  // parent's close).
  int A[2], B[2], D[2], E[2], Ctl[2];
  if (pipe(A) || pipe(B) || pipe(D) || pipe(E) ||
      socketpair(AF_UNIX, SOCK_STREAM, 0, Ctl)) {
    perror("pipe");
    return 1;
  }
  // The writer of A: writes, then goes once told.
  pid_t Wa = fork();
  if (Wa == 0) {
    keepOnly(A[1], Ctl[1]);
    if (write(A[1], "hello", 5) != 5)
      _exit(3);
    waitForEnd(Ctl[1]);
    _exit(0);
  }
  // The reader of B: never reads, goes once told.
  pid_t Rb = fork();
  if (Rb == 0) {
    keepOnly(B[0], Ctl[1]);
    waitForEnd(Ctl[1]);
    _exit(0);
  }
  // A reader of D blocked in read all along: its exit status is what the
  // read answered (0 for EOF).
  pid_t Rd = fork();
  if (Rd == 0) {
    keepOnly(D[0], -1);
    char C;
    ssize_t N = read(D[0], &C, 1);
    _exit(N < 0 ? 100 + errno : (int)N);
  }
  // A reader of E blocked in poll all along: 1 for POLLHUP.
  pid_t Pe = fork();
  if (Pe == 0) {
    keepOnly(E[0], -1);
    struct pollfd P = {E[0], POLLIN, 0};
    int N = poll(&P, 1, -1);
    _exit(N == 1 && (P.revents & POLLHUP) ? 1 : 0);
  }
  close(A[1]);
  close(B[0]);
  close(D[0]);
  close(E[0]);
  close(Ctl[1]);

  char Got[8] = {0};
  ssize_t N = read(A[0], Got, sizeof(Got) - 1);
  printf("read %zd '%s'\n", N, Got);

  FILE *F = fopen(Ready, "w");
  if (F)
    fclose(F);
  if (await(Go)) {
    printf("no %s\n", Go);
    return 1;
  }

  // The other sides go.
  close(Ctl[0]);
  close(D[1]);
  close(E[1]);
  int S;
  waitpid(Wa, &S, 0);
  printf("writer exited %d\n", WEXITSTATUS(S));
  waitpid(Rb, &S, 0);
  printf("reader exited %d\n", WEXITSTATUS(S));
  waitpid(Rd, &S, 0);
  printf("blocked reader's read %d\n", WEXITSTATUS(S));
  waitpid(Pe, &S, 0);
  printf("blocked poll saw POLLHUP %d\n", WEXITSTATUS(S));

  N = read(A[0], Got, sizeof(Got) - 1);
  printf("read with no writer %zd\n", N);

  signal(SIGPIPE, onSigpipe);
  char Block[4096];
  memset(Block, 'x', sizeof(Block));
  ssize_t W;
  int Writes = 0;
  while ((W = write(B[1], Block, sizeof(Block))) > 0 && Writes < 1000)
    ++Writes;
  printf("write with no reader %s sigpipe %d\n",
         W < 0 && errno == EPIPE ? "EPIPE" : "went on", Sigpipes > 0);

  // A new pipe works.
  int P[2];
  if (pipe(P)) {
    perror("pipe after");
    return 1;
  }
  N = write(P[1], "again", 5);
  close(P[1]);
  memset(Got, 0, sizeof(Got));
  ssize_t R = read(P[0], Got, sizeof(Got) - 1);
  char Last;
  ssize_t End = read(P[0], &Last, 1);
  printf("new pipe %zd %zd '%s' %zd\n", N, R, Got, End);
  return 0;
}
