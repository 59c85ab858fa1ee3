// Large writes (big-writes.test): in a folder (argv[1]), one write of
// 3 MiB, a write of 1 MiB from a buffer whose second half is not readable
// (written as far as it goes, as Linux), and two threads writing 1 MiB
// pieces of two files at once; each file read back and checked byte for
// byte. Under K42 the first two go through the process's large buffer, the
// threads through it and the 64 KiB one in turn.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { MiB = 1 << 20 };

static unsigned char byteAt(size_t At, unsigned Seed) {
  return (unsigned char)((At * 2654435761u + Seed) >> 13);
}

static void fill(unsigned char *B, size_t N, size_t From, unsigned Seed) {
  for (size_t I = 0; I < N; ++I)
    B[I] = byteAt(From + I, Seed);
}

/// Whether \p Path holds exactly \p N bytes of pattern \p Seed.
static int holds(const char *Path, size_t N, unsigned Seed) {
  int Fd = open(Path, O_RDONLY);
  if (Fd < 0)
    return 0;
  unsigned char *B = malloc(MiB);
  size_t At = 0;
  int Good = 1;
  for (;;) {
    ssize_t Got = read(Fd, B, MiB);
    if (Got <= 0)
      break;
    for (ssize_t I = 0; I < Got; ++I)
      Good &= B[I] == byteAt(At + (size_t)I, Seed);
    At += (size_t)Got;
  }
  free(B);
  close(Fd);
  return Good && At == N;
}

struct Job {
  char Path[4096];
  unsigned Seed;
  int Ok;
};

static void *writer(void *Arg) {
  struct Job *J = Arg;
  int Fd = open(J->Path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  unsigned char *B = malloc(MiB);
  J->Ok = Fd >= 0;
  for (int Piece = 0; J->Ok && Piece < 8; ++Piece) {
    fill(B, MiB, (size_t)Piece * MiB, J->Seed);
    J->Ok = write(Fd, B, MiB) == MiB;
  }
  free(B);
  close(Fd);
  return NULL;
}

int main(int Argc, char **Argv) {
  if (Argc != 2) {
    fprintf(stderr, "usage: linux-bigwrites FOLDER\n");
    return 2;
  }
  char Path[4096];
  snprintf(Path, sizeof(Path), "%s/three", Argv[1]);
  unsigned char *B = malloc(3 * MiB);
  fill(B, 3 * MiB, 0, 1);
  int Fd = open(Path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  printf("write 3 MiB: %zd\n", write(Fd, B, 3 * MiB));
  close(Fd);
  printf("read back: %s\n", holds(Path, 3 * MiB, 1) ? "same" : "differs");
  free(B);

  // A buffer readable for its first half only.
  size_t Half = MiB / 2;
  unsigned char *M = mmap(NULL, MiB, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  fill(M, Half, 0, 2);
  mprotect(M + Half, Half, PROT_NONE);
  snprintf(Path, sizeof(Path), "%s/half", Argv[1]);
  Fd = open(Path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ssize_t W = write(Fd, M, MiB);
  printf("write 1 MiB, half readable: %zd (%s)\n", W,
         W < 0 ? strerrorname_np(errno) : "ok");
  W = write(Fd, M + Half, MiB);
  printf("write from the unreadable half: %zd (%s)\n", W,
         W < 0 ? strerrorname_np(errno) : "ok");
  close(Fd);
  printf("read back: %s\n", holds(Path, Half, 2) ? "same" : "differs");

  struct Job Jobs[2];
  pthread_t T[2];
  for (int I = 0; I < 2; ++I) {
    snprintf(Jobs[I].Path, sizeof(Jobs[I].Path), "%s/thread%d", Argv[1], I);
    Jobs[I].Seed = 10 + I;
    pthread_create(&T[I], NULL, writer, &Jobs[I]);
  }
  for (int I = 0; I < 2; ++I) {
    pthread_join(T[I], NULL);
    printf("thread %d: %s, read back %s\n", I, Jobs[I].Ok ? "wrote" : "failed",
           holds(Jobs[I].Path, 8 * MiB, Jobs[I].Seed) ? "same" : "differs");
  }
  return 0;
}
