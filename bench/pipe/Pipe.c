// bench/pipe/Pipe.c: what `utils/k42 bench pipe` times, the same program
// natively (host pipes) and under k42-exec on a booted system (K42 pipes).
//
//   bench-pipe-client CHUNKS ROUNDTRIPS
//     prints two numbers: ns per 64 KiB chunk written by one process and
//     read by another (a throughput), and ns per 1-byte round trip between
//     two processes over a pair of pipes (a ping-pong)
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double nowNs(void) {
  struct timespec T;
  clock_gettime(CLOCK_MONOTONIC, &T);
  return T.tv_sec * 1e9 + T.tv_nsec;
}

static int readAll(int Fd, char *Buf, size_t N) {
  size_t Have = 0;
  while (Have < N) {
    ssize_t Got = read(Fd, Buf + Have, N - Have);
    if (Got <= 0)
      return -1;
    Have += (size_t)Got;
  }
  return 0;
}

static char Chunk[65536];

int main(int Argc, char **Argv) {
  if (Argc != 3)
    return 2;
  long Chunks = atol(Argv[1]), Trips = atol(Argv[2]);
  int P[2], Q[2];
  // Throughput: the child reads what the parent writes, 64 KiB at a time.
  if (pipe(P) != 0)
    return 1;
  memset(Chunk, 'k', sizeof(Chunk));
  pid_t Child = fork();
  if (Child == 0) {
    close(P[1]);
    static char In[65536];
    for (long I = 0; I < Chunks; ++I)
      if (readAll(P[0], In, sizeof(In)) != 0)
        _exit(1);
    _exit(0);
  }
  close(P[0]);
  double Start = nowNs();
  for (long I = 0; I < Chunks; ++I)
    if (write(P[1], Chunk, sizeof(Chunk)) != (ssize_t)sizeof(Chunk))
      return 1;
  close(P[1]);
  int St;
  waitpid(Child, &St, 0);
  double Throughput = (nowNs() - Start) / (double)Chunks;
  if (!WIFEXITED(St) || WEXITSTATUS(St) != 0)
    return 1;
  // Ping-pong: one byte there and back.
  if (pipe(P) != 0 || pipe(Q) != 0)
    return 1;
  Child = fork();
  if (Child == 0) {
    char C;
    close(P[1]);
    close(Q[0]);
    while (read(P[0], &C, 1) == 1)
      if (write(Q[1], &C, 1) != 1)
        _exit(1);
    _exit(0);
  }
  close(P[0]);
  close(Q[1]);
  char C = 'p';
  Start = nowNs();
  for (long I = 0; I < Trips; ++I)
    if (write(P[1], &C, 1) != 1 || read(Q[0], &C, 1) != 1)
      return 1;
  double PingPong = (nowNs() - Start) / (double)Trips;
  close(P[1]);
  waitpid(Child, &St, 0);
  printf("%.1f %.1f\n", Throughput, PingPong);
  return 0;
}
