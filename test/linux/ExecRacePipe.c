// ExecRacePipe.c: an exec while another thread of the process makes pipes
// and writes to them (exec-race-pipe.test). The maker makes 32 pipes
// (without O_CLOEXEC), writes "pipe!" into each, closes them all, and
// again; the main thread execs the program in the middle of that. The new
// image reads every read end it was handed: each holds "pipe!", or is
// empty where the exec came between the pipe and its write. On Linux the
// exec ends the maker first (de_thread). Before, a ring whose lock the
// maker held when the exec ended it (in the middle of its write) kept it
// held for ever, and the new image's read of it waited for ever (its own
// pid, alive); and a pipe made after the old image wrote its exec state
// reached the new image as its raw placeholder.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

enum { Rounds = 40, Pipes = 32, LastChecked = 999 };

static void *maker(void *Unused) {
  (void)Unused;
  int P[Pipes][2];
  for (;;) {
    for (int I = 0; I < Pipes; ++I) {
      if (pipe(P[I])) {
        P[I][0] = -1;
        continue;
      }
      if (write(P[I][1], "pipe!", 5) != 5)
        abort();
    }
    for (int I = 0; I < Pipes; ++I)
      if (P[I][0] >= 0) {
        close(P[I][0]);
        close(P[I][1]);
      }
  }
  return NULL;
}

/// The new image: every read end holds "pipe!" or nothing yet.
static int check(void) {
  int Bad = 0;
  for (int Fd = 3; Fd <= LastChecked; ++Fd) {
    int Flags = fcntl(Fd, F_GETFL);
    if (Flags < 0 || (Flags & O_ACCMODE) != O_RDONLY)
      continue;
    fcntl(Fd, F_SETFL, Flags | O_NONBLOCK);
    char Got[8] = {0};
    long N = read(Fd, Got, 5);
    if ((N != 5 || memcmp(Got, "pipe!", 5) != 0) &&
        !(N < 0 && errno == EAGAIN)) {
      ++Bad;
      fprintf(stderr, "descriptor %d read %ld (%s) '%s'\n", Fd, N,
              N < 0 ? strerror(errno) : "no error", Got);
    }
  }
  return Bad ? 1 : 0;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc == 2 && !strcmp(argv[1], "execd"))
    return check();
  // What the caller left open is not the test's to check.
  for (int Fd = 3; Fd <= LastChecked; ++Fd)
    close(Fd);
  int Bad = 0;
  for (int Round = 0; Round < Rounds; ++Round) {
    pid_t Child = fork();
    if (Child == 0) {
      pthread_t T;
      pthread_create(&T, NULL, maker, NULL);
      usleep(2000 + 400 * (Round % 8));
      execl(argv[0], argv[0], "execd", (char *)NULL);
      _exit(3);
    }
    int Status;
    waitpid(Child, &Status, 0);
    if (!WIFEXITED(Status) || WEXITSTATUS(Status) != 0) {
      ++Bad;
      fprintf(stderr, "round %d: the image's status %#x\n", Round, Status);
    }
  }
  printf("rounds %d, images with a pipe not as written: %d\n", Rounds, Bad);
  return 0;
}
