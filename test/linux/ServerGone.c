// A file server that dies while threads use its files (servergone.test,
// under K42 only): FILE is on a mount whose server the test kills once
// SCRATCH/opened appears; the test creates SCRATCH/killed once the mount
// is gone. Meanwhile two threads pread and fstat an open file of that
// server in a loop, and the main thread makes path calls, which see the
// mount table change and let go of the mount's channel. Every answer must
// be the file's (before the server died) or an error (after), never a
// crash; after the threads, the descriptor answers an error and closes,
// and the rest of the system still works (a file in /tmp).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { FileSize = 4096 };

static int Fd;
static atomic_int Stop;
static atomic_long Wrong, Failed;

static void *use(void *Arg) {
  (void)Arg;
  char Buf[FileSize];
  while (!atomic_load(&Stop)) {
    long N = pread(Fd, Buf, FileSize, 0);
    if (N < 0)
      atomic_fetch_add(&Failed, 1);
    else if (N != FileSize || Buf[0] != 'x' || Buf[FileSize - 1] != 'x')
      atomic_fetch_add(&Wrong, 1);
    struct stat St;
    if (fstat(Fd, &St) != 0)
      atomic_fetch_add(&Failed, 1);
    else if (St.st_size != FileSize)
      atomic_fetch_add(&Wrong, 1);
  }
  return NULL;
}

/// Waits for host file \p Path (up to about ten seconds).
static int await(const char *Path) {
  for (int I = 0; I < 1000; ++I) {
    if (access(Path, F_OK) == 0)
      return 0;
    usleep(10000);
  }
  fprintf(stderr, "servergone: %s never appeared\n", Path);
  return -1;
}

static const char *name(int E) {
  return E == ECONNRESET ? "ECONNRESET"
         : E == EPIPE    ? "EPIPE"
         : E == EIO      ? "EIO"
         : E == EBADF    ? "EBADF"
                         : strerror(E);
}

int main(int Argc, char **Argv) {
  if (Argc != 3) {
    fprintf(stderr, "usage: %s FILE SCRATCH\n", Argv[0]);
    return 2;
  }
  char Bytes[FileSize], Path[4096];
  memset(Bytes, 'x', sizeof(Bytes));
  int W = open(Argv[1], O_CREAT | O_TRUNC | O_WRONLY, 0644);
  if (W < 0 || write(W, Bytes, FileSize) != FileSize || close(W) != 0) {
    perror("servergone: write the file");
    return 1;
  }
  // Opened for reading and writing, without O_TRUNC: no lease, so every
  // pread and fstat is a server call (a small file opened for reading
  // only comes whole with its open and is read from the client's copy:
  // open-bytes.test).
  Fd = open(Argv[1], O_RDWR);
  if (Fd < 0) {
    perror("servergone: open");
    return 1;
  }
  pthread_t T[2];
  for (int I = 0; I < 2; ++I)
    pthread_create(&T[I], NULL, use, NULL);
  snprintf(Path, sizeof(Path), "%s/opened", Argv[2]);
  close(open(Path, O_CREAT | O_WRONLY, 0644));
  snprintf(Path, sizeof(Path), "%s/killed", Argv[2]);
  // Path calls meanwhile: each asks whether the mount table changed.
  struct stat St;
  int Seen = 0;
  while (access(Path, F_OK) != 0 && Seen < 1000) {
    (void)stat(Argv[1], &St);
    usleep(10000);
    ++Seen;
  }
  if (await(Path) != 0)
    return 1;
  // The mount is gone: a path call lets go of its channel.
  int Gone = stat(Argv[1], &St) != 0;
  for (int I = 0; I < 100; ++I)
    (void)stat(Argv[1], &St);
  atomic_store(&Stop, 1);
  for (int I = 0; I < 2; ++I)
    pthread_join(T[I], NULL);
  printf("file gone from the names: %s\n", Gone ? "yes" : "no");
  printf("threads: %ld wrong answers, errors: %s\n", atomic_load(&Wrong),
         atomic_load(&Failed) ? "some" : "none");
  char Buf[16];
  long N = pread(Fd, Buf, sizeof(Buf), 0);
  printf("pread after: %ld %s\n", N, N < 0 ? name(errno) : "");
  N = fstat(Fd, &St);
  printf("fstat after: %ld %s\n", N, N < 0 ? name(errno) : "");
  printf("close after: %d\n", close(Fd));
  printf("pread of the closed descriptor: %s\n",
         pread(Fd, Buf, 1, 0) < 0 ? name(errno) : "read");
  // The rest of the system still works.
  W = open("/tmp/servergone-after", O_CREAT | O_TRUNC | O_RDWR, 0644);
  long Put = W < 0 ? -1 : write(W, "still here\n", 11);
  long Got = W < 0 ? -1 : pread(W, Buf, sizeof(Buf), 0);
  printf("a file in /tmp: %ld written, %ld read\n", Put, Got);
  return 0;
}
