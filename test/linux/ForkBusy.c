#define _GNU_SOURCE
// fork while other threads are inside the personality's calls, holding
// its locks of the process's own (the descriptor tables', the pipe
// client's, epoll's, the heap's, the path bridge's): the child has only
// the forking thread, so it must find every one of them free.
//
//   linux-forkbusy DIR CHILDREN
//
// Three threads each loop: open a file in DIR, dup2 it onto a high
// descriptor, make a pipe, watch its read end with epoll, pass a line
// through it, close everything. The main thread forks CHILDREN times;
// each child does the same once and exits 7. A child that has not exited
// within 10 s is hung: it is killed and counted. Prints
//   children N exits 7: M hung: H
#include "AwaitChild.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char Path[4096];
static atomic_int Stop;

/// One round of descriptor work onto \p High; whether it all worked.
static int touch(int High) {
  int Fd = open(Path, O_RDONLY);
  if (Fd < 0 || dup2(Fd, High) != High)
    return 0;
  int P[2];
  if (pipe(P) != 0)
    return 0;
  int Ep = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event Ev = {.events = EPOLLIN};
  int Ok = Ep >= 0 && epoll_ctl(Ep, EPOLL_CTL_ADD, P[0], &Ev) == 0;
  char Line[5];
  Ok = Ok && pread(High, Line, 5, 0) == 5 && write(P[1], Line, 5) == 5 &&
       epoll_wait(Ep, &Ev, 1, 1000) == 1 && read(P[0], Line, 5) == 5 &&
       memcmp(Line, "data\n", 5) == 0;
  close(Ep);
  close(P[0]);
  close(P[1]);
  close(High);
  close(Fd);
  return Ok;
}

static void *worker(void *Arg) {
  int High = 100 + (int)(long)Arg;
  while (!atomic_load(&Stop))
    if (!touch(High)) {
      perror("worker");
      exit(1);
    }
  return NULL;
}

int main(int Argc, char **Argv) {
  if (Argc != 3) {
    fprintf(stderr, "usage: %s DIR CHILDREN\n", Argv[0]);
    return 2;
  }
  snprintf(Path, sizeof Path, "%s/data", Argv[1]);
  int Fd = open(Path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (Fd < 0 || write(Fd, "data\n", 5) != 5 || close(Fd) != 0) {
    perror(Path);
    return 1;
  }
  pthread_t Threads[3];
  for (long T = 0; T < 3; ++T)
    pthread_create(&Threads[T], NULL, worker, (void *)T);
  usleep(50000);
  int Children = atoi(Argv[2]), Sevens = 0, Hung = 0;
  for (int K = 0; K < Children; ++K) {
    pid_t Child = fork();
    if (Child < 0) {
      perror("fork");
      return 1;
    }
    if (Child == 0)
      _exit(touch(90) ? 7 : 3);
    int Status = 0;
    if (!awaitChild(Child, 10, &Status))
      ++Hung;
    else if (WIFEXITED(Status) && WEXITSTATUS(Status) == 7)
      ++Sevens;
  }
  atomic_store(&Stop, 1);
  for (int T = 0; T < 3; ++T)
    pthread_join(Threads[T], NULL);
  printf("children %d exits 7: %d hung: %d\n", Children, Sevens, Hung);
  return 0;
}
