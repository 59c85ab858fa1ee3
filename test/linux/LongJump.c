// test/linux/LongJump.c: a 200 us interval timer's SIGALRM handler leaves
// by siglongjmp whatever the program is doing, here a loop of open and
// close of a file in DIR; natively on a host folder, and on K42's /tmp
// under the personality, where open and close are server calls. A handler
// that left a call so skipped the call's release of its channel slot:
// after a few hundred jumps every slot was taken, and every path call of
// the process failed with EAGAIN for the rest of its life (battery 42).
// What it prints must be the same.
//
//   linux-longjump DIR JUMPS
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

static sigjmp_buf Back;
static volatile int Jumps;

static void jump(int Signal) {
  (void)Signal;
  ++Jumps;
  siglongjmp(Back, 1);
}

int main(int Argc, char **Argv) {
  if (Argc != 3)
    return 2;
  if (chdir(Argv[1]) != 0) {
    perror("chdir");
    return 2;
  }
  int Wanted = atoi(Argv[2]);
  struct sigaction Action;
  memset(&Action, 0, sizeof(Action));
  Action.sa_handler = jump;
  sigemptyset(&Action.sa_mask);
  sigaction(SIGALRM, &Action, NULL);
  struct itimerval Every = {{0, 200}, {0, 200}};
  setitimer(ITIMER_REAL, &Every, NULL);
  volatile int FirstFailure = -1, Error = 0;
  sigsetjmp(Back, 1);
  while (Jumps < Wanted) {
    int Fd = open("f", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (Fd < 0) {
      if (FirstFailure < 0) {
        FirstFailure = Jumps;
        Error = errno;
      }
      continue;
    }
    close(Fd);
  }
  struct itimerval Off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &Off, NULL);
  printf("%d jumps: opens failed: %s\n", Wanted,
         FirstFailure < 0 ? "none" : strerror(Error));
  struct stat St;
  int Fd = open("after", O_CREAT | O_WRONLY, 0644);
  printf("afterwards: open %s, stat %s, mkdir %s\n",
         Fd >= 0 ? "ok" : strerror(errno),
         stat(".", &St) == 0 ? "ok" : strerror(errno),
         mkdir("dir", 0755) == 0 ? "ok" : strerror(errno));
  return 0;
}
