#define _GNU_SOURCE
// A descriptor closed by one thread and its number given to another
// thread's new descriptor, while a third thread is still in a call on the
// old one.
//
//   linux-threadreuse DIR ROUNDS
//
// Threads open and close K42 files, K42 pipes, host files (/dev/null) and
// dups over and over, each checking that the descriptor it was just given
// is what it made: the file's bytes, the pipe's own bytes, /dev/null's
// nothing. All take the lowest free numbers, so each gets numbers the
// others have just closed. Meanwhile a thread preads every low number
// (its calls on the old descriptors go on while they close: they must
// not fail otherwise than EBADF or ESPIPE, nor crash). At the end every
// descriptor is closed: the lowest free number is the first the program
// had, and no K42 file or pipe is left mapped. Prints the count of wrong
// answers, the same natively and under K42.
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { FileSize = 4096, Low = 3, High = 16 };

static char PathA[4096];
static int FileB;
static int Rounds;
static atomic_int Stop;
static atomic_long Wrong;

static void wrong(const char *What, long Got, int Errno) {
  if (atomic_fetch_add(&Wrong, 1) < 5)
    fprintf(stderr, "wrong answer: %s gave %ld (%s)\n", What, Got,
            strerror(Errno));
}

/// Whether \p Bytes are \p N copies of \p Letter.
static int all(const char *Bytes, long N, char Letter) {
  for (long I = 0; I < N; ++I)
    if (Bytes[I] != Letter)
      return 0;
  return 1;
}

static void *files(void *Arg) {
  (void)Arg;
  static _Thread_local char Buf[FileSize];
  for (int I = 0; I < Rounds; ++I) {
    int Fd = open(PathA, O_RDONLY);
    if (Fd < 0) {
      wrong("open", Fd, errno);
      continue;
    }
    long N = pread(Fd, Buf, FileSize, 0);
    if (N != FileSize || !all(Buf, N, 'a'))
      wrong("pread of a new file", N, errno);
    struct stat St;
    if (fstat(Fd, &St) != 0 || !S_ISREG(St.st_mode) || St.st_size != FileSize)
      wrong("fstat of a new file", -1, errno);
    if (close(Fd) != 0)
      wrong("close of a file", -1, errno);
  }
  return NULL;
}

static void *pipes(void *Arg) {
  (void)Arg;
  for (int I = 0; I < Rounds; ++I) {
    int P[2];
    if (pipe2(P, O_NONBLOCK) != 0) {
      wrong("pipe2", -1, errno);
      continue;
    }
    char Out[16], In[16];
    int Len = snprintf(Out, sizeof(Out), "p%d", I);
    long W = write(P[1], Out, Len);
    long N = read(P[0], In, sizeof(In));
    if (W != Len || N != Len || memcmp(In, Out, Len) != 0)
      wrong("a new pipe's bytes", N, errno);
    struct stat St;
    if (fstat(P[0], &St) != 0 || !S_ISFIFO(St.st_mode))
      wrong("fstat of a new pipe", -1, errno);
    if (close(P[0]) != 0 || close(P[1]) != 0)
      wrong("close of a pipe", -1, errno);
  }
  return NULL;
}

static void *nulls(void *Arg) {
  (void)Arg;
  char Buf[64];
  for (int I = 0; I < Rounds; ++I) {
    int Fd = open("/dev/null", O_RDWR);
    if (Fd < 0) {
      wrong("open of /dev/null", Fd, errno);
      continue;
    }
    long N = read(Fd, Buf, sizeof(Buf));
    if (N != 0)
      wrong("read of a new /dev/null", N, errno);
    struct stat St;
    if (fstat(Fd, &St) != 0 || !S_ISCHR(St.st_mode))
      wrong("fstat of a new /dev/null", -1, errno);
    if (close(Fd) != 0)
      wrong("close of /dev/null", -1, errno);
  }
  return NULL;
}

static void *dups(void *Arg) {
  (void)Arg;
  static _Thread_local char Buf[FileSize];
  for (int I = 0; I < Rounds; ++I) {
    int Fd = dup(FileB);
    if (Fd < 0) {
      wrong("dup", Fd, errno);
      continue;
    }
    long N = pread(Fd, Buf, FileSize, 0);
    if (N != FileSize || !all(Buf, N, 'b'))
      wrong("pread of a new dup", N, errno);
    if (close(Fd) != 0)
      wrong("close of a dup", -1, errno);
  }
  return NULL;
}

/// In calls on whatever the low numbers are, as they change.
static void *user(void *Arg) {
  (void)Arg;
  static _Thread_local char Buf[FileSize];
  while (!atomic_load(&Stop))
    for (int Fd = Low; Fd < High; ++Fd) {
      // Any answer but a failure of another kind: a number this thread
      // does not own may be between a host descriptor and its K42 entry.
      long N = pread(Fd, Buf, FileSize, 0);
      if (N < 0 && errno != EBADF && errno != ESPIPE)
        wrong("pread of a low number", N, errno);
    }
  return NULL;
}

static int fill(const char *Dir, const char *Name, char Letter, char *Path) {
  snprintf(Path, 4096, "%s/%s", Dir, Name);
  char Bytes[FileSize];
  memset(Bytes, Letter, sizeof(Bytes));
  int Fd = open(Path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
  if (Fd < 0 || write(Fd, Bytes, sizeof(Bytes)) != FileSize || close(Fd)) {
    perror(Path);
    exit(1);
  }
  return 0;
}

/// Lines of /proc/self/maps naming a K42 file's description or a pipe's
/// ring (none natively).
/// K42 descriptions and pipe rings still mapped. A description the
/// personality keeps for its next open (runtime/linux/DescriptionPool.cpp)
/// is mapped too, but holds no description: its first word is not the
/// description's magic (FileDescription::MagicValue), so it is not one
/// left behind.
static int k42Mappings(void) {
  FILE *Maps = fopen("/proc/self/maps", "r");
  if (!Maps)
    return -1;
  char Line[4096];
  int N = 0;
  while (fgets(Line, sizeof(Line), Maps)) {
    if (strstr(Line, "memfd:k42-pipe")) {
      ++N;
      continue;
    }
    unsigned long Start;
    if (!strstr(Line, "memfd:k42-file") || sscanf(Line, "%lx-", &Start) != 1)
      continue;
    unsigned long long Magic;
    memcpy(&Magic, (const void *)Start, sizeof(Magic));
    N += Magic == 0x4b34324f464431ull;
  }
  fclose(Maps);
  return N;
}

int main(int Argc, char **Argv) {
  if (Argc != 3) {
    fprintf(stderr, "usage: linux-threadreuse DIR ROUNDS\n");
    return 2;
  }
  if (mkdir(Argv[1], 0700) != 0 && errno != EEXIST) {
    perror("mkdir");
    return 1;
  }
  Rounds = atoi(Argv[2]);
  char PathB[4096];
  fill(Argv[1], "a", 'a', PathA);
  fill(Argv[1], "b", 'b', PathB);
  int First = open("/dev/null", O_RDONLY);
  close(First);
  // Out of the way of the low numbers the threads take.
  int B = open(PathB, O_RDONLY);
  FileB = fcntl(B, F_DUPFD, 100);
  close(B);
  void *(*Work[])(void *) = {files, pipes, nulls, dups};
  enum { NumWork = sizeof(Work) / sizeof(Work[0]) };
  pthread_t T[NumWork], U;
  pthread_create(&U, NULL, user, NULL);
  for (int I = 0; I < NumWork; ++I)
    pthread_create(&T[I], NULL, Work[I], NULL);
  for (int I = 0; I < NumWork; ++I)
    pthread_join(T[I], NULL);
  atomic_store(&Stop, 1);
  pthread_join(U, NULL);
  close(FileB);
  int Next = open("/dev/null", O_RDONLY);
  printf("%d rounds of 4 threads: %ld wrong answers\n", Rounds,
         atomic_load(&Wrong));
  printf("lowest free descriptor at the end: %s\n",
         Next == First ? "the first" : "another");
  printf("K42 files and pipes still mapped: %d\n", k42Mappings());
  return 0;
}
