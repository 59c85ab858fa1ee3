#define _GNU_SOURCE
// Descriptors closed and replaced by one thread while others use them:
// round after round, worker threads pread, read, fstat and pwrite K42 files
// and read, write and fstat K42 pipe ends at fixed descriptor numbers,
// while the main thread replaces what each number refers to (dup2 of a
// newly opened file or a new pipe over it), then closes them all and
// takes a blocked pipe reader's descriptor away from it and closes the
// pipe's write end. As on Linux, a call in progress
// completes on the file or pipe it started with (or fails cleanly with
// EBADF when its descriptor was already gone); the blocked reader sees the
// end of its pipe. Prints the same natively and under K42: the count of
// answers that were neither.
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { FileSize = 4096, Swaps = 40 };
enum { FileFd = 100, WriteFd = 101, PipeIn = 102, PipeOut = 103 };
enum { BlockIn = 104, BlockOut = 105 };

static const char *Dir;
static atomic_int Stop;
static atomic_long Wrong;

static void wrong(const char *What, long Got, int Errno) {
  // The first few, for a human; the count is what the test compares.
  if (atomic_fetch_add(&Wrong, 1) < 5)
    fprintf(stderr, "wrong answer: %s gave %ld (%s)\n", What, Got,
            strerror(Errno));
}

/// A file's bytes are all one letter ('a' or 'b': which file it was).
static int oneLetter(const char *Bytes, long N) {
  for (long I = 1; I < N; ++I)
    if (Bytes[I] != Bytes[0])
      return 0;
  return N == 0 || Bytes[0] == 'a' || Bytes[0] == 'b';
}

static void *preader(void *Arg) {
  (void)Arg;
  static _Thread_local char Buf[FileSize];
  while (!atomic_load(&Stop)) {
    long N = pread(FileFd, Buf, FileSize, 0);
    if (N < 0 ? errno != EBADF : N != FileSize || !oneLetter(Buf, N))
      wrong("pread", N, errno);
  }
  return NULL;
}

static void *reader(void *Arg) {
  (void)Arg;
  static _Thread_local char Buf[FileSize];
  while (!atomic_load(&Stop)) {
    long N = read(FileFd, Buf, FileSize);
    if (N < 0 ? errno != EBADF : !oneLetter(Buf, N))
      wrong("read", N, errno);
    struct stat St;
    int E = fstat(FileFd, &St);
    if (E != 0 ? errno != EBADF : St.st_size != FileSize)
      wrong("fstat", E, errno);
    if (N == 0)
      (void)lseek(FileFd, 0, SEEK_SET);
  }
  return NULL;
}

static void *writer(void *Arg) {
  (void)Arg;
  char Line[64];
  memset(Line, 'w', sizeof(Line));
  while (!atomic_load(&Stop)) {
    long N = pwrite(WriteFd, Line, sizeof(Line), 0);
    if (N < 0 ? errno != EBADF : N != (long)sizeof(Line))
      wrong("pwrite", N, errno);
    struct stat St;
    int E = fstat(WriteFd, &St);
    if (E != 0 ? errno != EBADF : !S_ISREG(St.st_mode))
      wrong("fstat of the written file", E, errno);
  }
  return NULL;
}

static void *pipeReader(void *Arg) {
  (void)Arg;
  char Buf[256];
  while (!atomic_load(&Stop)) {
    long N = read(PipeIn, Buf, sizeof(Buf));
    int Digits = 1;
    for (long I = 0; I < N; ++I)
      Digits = Digits && Buf[I] >= '0' && Buf[I] <= '9';
    if (N < 0 ? errno != EAGAIN && errno != EBADF : !Digits)
      wrong("read of a pipe", N, errno);
    struct stat St;
    int E = fstat(PipeIn, &St);
    if (E != 0 ? errno != EBADF : !S_ISFIFO(St.st_mode))
      wrong("fstat of a pipe", E, errno);
  }
  return NULL;
}

static void *pipeWriter(void *Arg) {
  (void)Arg;
  while (!atomic_load(&Stop)) {
    long N = write(PipeOut, "0123456789", 10);
    if (N < 0 ? errno != EAGAIN && errno != EPIPE && errno != EBADF : N != 10)
      wrong("write of a pipe", N, errno);
  }
  return NULL;
}

static atomic_int Blocking;

static void *blockedReader(void *Arg) {
  (void)Arg;
  char C;
  atomic_store(&Blocking, 1);
  long N = read(BlockIn, &C, 1);
  if (N != 0)
    wrong("read of a pipe whose writer went", N, errno);
  return NULL;
}

/// Makes \p Fd refer to a new open of \p Name (dup2 over what it was).
static void reopen(int Fd, const char *Name, int Flags) {
  char Path[4096];
  snprintf(Path, sizeof(Path), "%s/%s", Dir, Name);
  int New = open(Path, Flags);
  if (New < 0 || dup2(New, Fd) != Fd || close(New) != 0) {
    perror("reopen");
    exit(1);
  }
}

/// Makes \p In and \p Out the ends of a new pipe.
static void repipe(int In, int Out, int Flags) {
  int P[2];
  if (pipe2(P, Flags) != 0 || dup2(P[0], In) != In || dup2(P[1], Out) != Out ||
      close(P[0]) != 0 || close(P[1]) != 0) {
    perror("repipe");
    exit(1);
  }
}

static void makeFile(const char *Name, char Letter) {
  char Path[4096], Bytes[FileSize];
  snprintf(Path, sizeof(Path), "%s/%s", Dir, Name);
  memset(Bytes, Letter, sizeof(Bytes));
  int Fd = open(Path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
  if (Fd < 0 || write(Fd, Bytes, sizeof(Bytes)) != FileSize || close(Fd) != 0) {
    perror("makeFile");
    exit(1);
  }
}

int main(int Argc, char **Argv) {
  if (Argc != 3) {
    fprintf(stderr, "usage: %s FOLDER ROUNDS\n", Argv[0]);
    return 2;
  }
  Dir = Argv[1];
  int Rounds = atoi(Argv[2]);
  if (mkdir(Dir, 0755) != 0) {
    perror("mkdir");
    return 1;
  }
  signal(SIGPIPE, SIG_IGN);
  makeFile("a", 'a');
  makeFile("b", 'b');
  makeFile("w", 'w');
  int DevNull = open("/dev/null", O_RDONLY);
  if (DevNull < 0) {
    perror("/dev/null");
    return 1;
  }
  void *(*Workers[])(void *) = {preader, reader, writer, pipeReader,
                                pipeWriter};
  enum { NumWorkers = sizeof(Workers) / sizeof(Workers[0]) };
  for (int R = 0; R < Rounds; ++R) {
    reopen(FileFd, "a", O_RDONLY);
    reopen(WriteFd, "w", O_RDWR);
    repipe(PipeIn, PipeOut, O_NONBLOCK);
    repipe(BlockIn, BlockOut, 0);
    atomic_store(&Stop, 0);
    atomic_store(&Blocking, 0);
    pthread_t T[NumWorkers + 1];
    for (int I = 0; I < NumWorkers; ++I)
      pthread_create(&T[I], NULL, Workers[I], NULL);
    pthread_create(&T[NumWorkers], NULL, blockedReader, NULL);
    for (int S = 0; S < Swaps; ++S) {
      reopen(FileFd, S % 2 ? "a" : "b", O_RDONLY);
      reopen(WriteFd, "w", O_RDWR);
      repipe(PipeIn, PipeOut, O_NONBLOCK);
    }
    // Closed under the workers: EBADF from then on. (Not opened again
    // while they run: a call that races a close and a new open of the
    // same number may meet either file, here and on Linux.)
    if (close(FileFd) != 0 || close(WriteFd) != 0 || close(PipeIn) != 0 ||
        close(PipeOut) != 0) {
      perror("close");
      return 1;
    }
    // The blocked reader's descriptor goes (a host file in its place),
    // then its pipe's only writer: its read ends with the pipe's end.
    while (!atomic_load(&Blocking))
      sched_yield();
    for (int Y = 0; Y < 3; ++Y)
      sched_yield();
    if (dup2(DevNull, BlockIn) != BlockIn || close(BlockOut) != 0) {
      perror("blocked reader");
      return 1;
    }
    atomic_store(&Stop, 1);
    for (int I = 0; I <= NumWorkers; ++I)
      pthread_join(T[I], NULL);
  }
  printf("%d rounds of %d swaps under %d threads: %ld wrong answers\n", Rounds,
         Swaps, NumWorkers + 1, atomic_load(&Wrong));
  return atomic_load(&Wrong) != 0;
}
