// pselect and ppoll's signal mask over K42 pipes: a signal the program
// blocks and the call's mask lets in is delivered inside the wait and ends
// it with EINTR, whether it was pending before the call (make -j's
// SIGCHLD: a child that exited before make waited for a jobserver token)
// or arrives while the call sleeps; a handler with SA_RESTART still ends
// it (Linux never restarts these after a handler); a signal the call's
// mask blocks stays pending through the wait; the thread's mask is its
// own again after each call. Prints only what is the same natively and
// under K42.
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t Got;

static void onSignal(int Sig) {
  (void)Sig;
  ++Got;
}

/// The errno name of a -1 result, else the count.
static void show(const char *What, int R) {
  if (R < 0)
    printf("%s: -1 %s handler ran %d\n", What,
           errno == EINTR ? "EINTR" : strerror(errno), (int)Got);
  else
    printf("%s: %d handler ran %d\n", What, R, (int)Got);
}

static void install(int Sig, int Flags) {
  struct sigaction A;
  memset(&A, 0, sizeof A);
  A.sa_handler = onSignal;
  A.sa_flags = Flags;
  sigaction(Sig, &A, 0);
}

/// Waits until \p Sig is pending (it is blocked).
static void awaitPending(int Sig) {
  sigset_t P;
  for (;;) {
    sigpending(&P);
    if (sigismember(&P, Sig))
      return;
    usleep(1000);
  }
}

/// Whether the thread's mask still blocks \p Sig.
static int blocks(int Sig) {
  sigset_t Now;
  sigprocmask(SIG_BLOCK, 0, &Now);
  return sigismember(&Now, Sig);
}

/// A child that exits at once; SIGCHLD is pending once it has.
static void childExited(void) {
  pid_t C = fork();
  if (C == 0)
    _exit(0);
  awaitPending(SIGCHLD);
  waitpid(C, 0, 0);
}

/// A child that sends \p Sig to this process after a while (the wait is
/// EINTR whether it already sleeps or not: the signal is blocked until the
/// call lets it in).
static pid_t sendLater(int Sig) {
  pid_t Parent = getpid();
  pid_t C = fork();
  if (C == 0) {
    usleep(100000);
    kill(Parent, Sig);
    _exit(0);
  }
  return C;
}

int main(void) {
  setvbuf(stdout, 0, _IONBF, 0);
  int P[2];
  if (pipe(P) != 0)
    return 1;
  sigset_t Block, Empty;
  sigemptyset(&Block);
  sigaddset(&Block, SIGCHLD);
  sigaddset(&Block, SIGUSR1);
  sigprocmask(SIG_BLOCK, &Block, 0);
  sigemptyset(&Empty);
  install(SIGCHLD, 0);
  install(SIGUSR1, SA_RESTART);
  struct timespec Long = {30, 0}, Short = {0, 50000000};
  fd_set R;

  // Pending before the call.
  childExited();
  FD_ZERO(&R);
  FD_SET(P[0], &R);
  Got = 0;
  show("pselect, SIGCHLD pending before",
       pselect(P[0] + 1, &R, 0, 0, &Long, &Empty));
  printf("SIGCHLD blocked after: %d\n", blocks(SIGCHLD));
  childExited();
  struct pollfd F = {P[0], POLLIN, 0};
  Got = 0;
  show("ppoll, SIGCHLD pending before", ppoll(&F, 1, &Long, &Empty));
  printf("SIGCHLD blocked after: %d\n", blocks(SIGCHLD));

  // Arriving while the call waits (or before it: blocked until let in),
  // with SA_RESTART; the sender's SIGCHLD stays out.
  sigset_t OnlyUsr1;
  sigfillset(&OnlyUsr1);
  sigdelset(&OnlyUsr1, SIGUSR1);
  pid_t C = sendLater(SIGUSR1);
  FD_ZERO(&R);
  FD_SET(P[0], &R);
  Got = 0;
  show("pselect, SIGUSR1 with SA_RESTART",
       pselect(P[0] + 1, &R, 0, 0, &Long, &OnlyUsr1));
  waitpid(C, 0, 0);
  C = sendLater(SIGUSR1);
  Got = 0;
  show("ppoll, SIGUSR1 with SA_RESTART", ppoll(&F, 1, &Long, &OnlyUsr1));
  waitpid(C, 0, 0);

  // A mask that keeps SIGUSR1 blocked: the call times out, the signal
  // stays pending and runs once the program unblocks it.
  sigprocmask(SIG_UNBLOCK, &Block, 0); // the senders' SIGCHLDs
  sigprocmask(SIG_BLOCK, &Block, 0);
  kill(getpid(), SIGUSR1);
  FD_ZERO(&R);
  FD_SET(P[0], &R);
  Got = 0;
  show("pselect, SIGUSR1 kept blocked",
       pselect(P[0] + 1, &R, 0, 0, &Short, &Block));
  sigset_t Pending;
  sigpending(&Pending);
  printf("SIGUSR1 pending after: %d\n", sigismember(&Pending, SIGUSR1));
  sigprocmask(SIG_UNBLOCK, &Block, 0);
  printf("handler ran after unblocking: %d\n", (int)Got);
  sigprocmask(SIG_BLOCK, &Block, 0);

  // Data ready and nothing pending: the count, no handler.
  write(P[1], "x", 1);
  Got = 0;
  show("ppoll, data ready", ppoll(&F, 1, &Long, &Empty));
  return 0;
}
