// EpollPipes.c: epoll sets holding pipes (K42 pipe ends under the
// personality), printed so a native run and a K42 run compare
// (epoll-pipes.test): EPOLLET after a partial read, a small maxevents
// reaching every ready pipe in turn, EPOLLEXCLUSIVE's rules, and a pipe
// added while another thread already waits on the set.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

static const char *err(int R) { return R < 0 ? strerror(errno) : "ok"; }

static int add(int Ep, int Fd, unsigned Events, unsigned long Data) {
  struct epoll_event E = {.events = Events, .data.u64 = Data};
  return epoll_ctl(Ep, EPOLL_CTL_ADD, Fd, &E);
}

/// One wait: its count and each event's data.
static void wait(const char *What, int Ep, int Max, int Ms) {
  struct epoll_event Ev[8];
  int N = epoll_wait(Ep, Ev, Max, Ms);
  printf("%s: %d", What, N);
  for (int I = 0; I < N; ++I)
    printf(" [%lu %#x]", (unsigned long)Ev[I].data.u64, Ev[I].events);
  printf("\n");
}

static int Shared;

static void *waiter(void *What) {
  // Long enough for any machine; a wait that misses the pipe ends at its
  // timeout with 0, which the comparison shows.
  wait(What, Shared, 4, 20000);
  return NULL;
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  char Buf[64];

  // EPOLLET: a partial read is no new edge; a write is.
  int P[2];
  if (pipe(P) != 0)
    return 1;
  int Ep = epoll_create1(EPOLL_CLOEXEC);
  add(Ep, P[0], EPOLLIN | EPOLLET, 1);
  wait("et empty", Ep, 4, 0);
  if (write(P[1], "ab", 2) != 2)
    return 1;
  wait("et after a write", Ep, 4, 0);
  wait("et again", Ep, 4, 0);
  if (read(P[0], Buf, 1) != 1)
    return 1;
  wait("et after a partial read", Ep, 4, 0);
  if (write(P[1], "c", 1) != 1)
    return 1;
  wait("et after another write", Ep, 4, 0);
  close(Ep);

  // maxevents 1 with four ready pipes: each in turn.
  int Q[4][2];
  Ep = epoll_create1(EPOLL_CLOEXEC);
  for (int I = 0; I < 4; ++I) {
    if (pipe(Q[I]) != 0 || write(Q[I][1], "q", 1) != 1)
      return 1;
    add(Ep, Q[I][0], EPOLLIN, 10 + I);
  }
  for (int I = 0; I < 6; ++I)
    wait("maxevents 1", Ep, 1, 0);
  wait("maxevents 2", Ep, 2, 0);
  wait("maxevents 2", Ep, 2, 0);

  // EPOLLEXCLUSIVE: EPOLL_CTL_ADD only, with few other events.
  int R[2];
  if (pipe(R) != 0)
    return 1;
  printf("exclusive with oneshot: %s\n",
         err(add(Ep, R[0], EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT, 20)));
  printf("exclusive: %s\n", err(add(Ep, R[0], EPOLLIN | EPOLLEXCLUSIVE, 20)));
  struct epoll_event Mod = {.events = EPOLLIN, .data.u64 = 21};
  printf("mod of an exclusive entry: %s\n",
         err(epoll_ctl(Ep, EPOLL_CTL_MOD, R[0], &Mod)));
  Mod.events = EPOLLIN | EPOLLEXCLUSIVE;
  printf("mod to exclusive: %s\n",
         err(epoll_ctl(Ep, EPOLL_CTL_MOD, Q[0][0], &Mod)));
  close(Ep);

  // A pipe added while another thread waits on the set: a ready one, then
  // an empty one written after.
  pthread_t T;
  int S[2];
  if (pipe(S) != 0 || write(S[1], "s", 1) != 1)
    return 1;
  Shared = epoll_create1(EPOLL_CLOEXEC);
  pthread_create(&T, NULL, waiter, "ready pipe added during a wait");
  usleep(200000);
  add(Shared, S[0], EPOLLIN, 30);
  pthread_join(T, NULL);
  close(Shared);
  int U[2];
  if (pipe(U) != 0)
    return 1;
  Shared = epoll_create1(EPOLL_CLOEXEC);
  pthread_create(&T, NULL, waiter, "empty pipe added during a wait");
  usleep(200000);
  add(Shared, U[0], EPOLLIN, 31);
  usleep(100000);
  if (write(U[1], "u", 1) != 1)
    return 1;
  pthread_join(T, NULL);

  // An empty pipe added beside a ready eventfd: the wait sees the
  // eventfd alone, every time.
  int Efd = eventfd(1, 0);
  int V[2];
  if (pipe(V) != 0)
    return 1;
  add(Shared, Efd, EPOLLIN, 40);
  epoll_ctl(Shared, EPOLL_CTL_DEL, U[0], NULL);
  add(Shared, V[0], EPOLLIN, 41);
  wait("eventfd, empty pipe", Shared, 4, 0);
  wait("eventfd, empty pipe", Shared, 4, 100);
  return 0;
}
