/* linux-mapfiles DIR: mappings of files in DIR, as Linux gives them.
 * MAP_SHARED seen by read and pread, by a fork child's own mapping and by
 * a separately started program's (this program again, --peek and --poke);
 * write and pwrite seen by an existing mapping; MAP_PRIVATE copy-on-write;
 * ftruncate growth; SIGBUS past the end after a truncate (default action
 * and a handler); msync and munmap; the EACCES, ENODEV, EINVAL and EBADF
 * (closed, O_PATH) cases; unlink while mapped; a file held in its
 * description (O_TRUNC: the personality's client copy) mapped, and opened
 * again with O_TRUNC once mapped. Prints the same natively (a host folder) and
 * under the Linux personality (K42's /tmp: ramfs). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096

static const char *Self;

static void fail(const char *What) {
  printf("FAIL %s: %s\n", What, strerror(errno));
  fflush(stdout);
  exit(1);
}

static void join(char *Out, const char *Dir, const char *Name) {
  snprintf(Out, 600, "%s/%s", Dir, Name);
}

/* Text at Map[Off], up to Len printable bytes, dots for zeros. */
static void showBytes(const char *What, const char *Map, long Off, int Len) {
  char B[80];
  for (int I = 0; I < Len; ++I)
    B[I] = Map[Off + I] ? Map[Off + I] : '.';
  B[Len] = 0;
  printf("%s: %s\n", What, B);
}

static void showRead(const char *What, int Fd, long Off, int Len) {
  char B[80] = {0};
  ssize_t N = pread(Fd, B, Len, Off);
  for (ssize_t I = 0; I < N; ++I)
    if (!B[I])
      B[I] = '.';
  printf("%s: pread %zd %.*s\n", What, N, (int)(N < 0 ? 0 : N), B);
}

static void errnoOf(const char *What, void *Map) {
  printf("%s: %s\n", What, Map == MAP_FAILED ? strerror(errno) : "mapped");
  if (Map != MAP_FAILED)
    munmap(Map, PAGE);
}

/* --peek PATH OFF LEN / --poke PATH OFF TEXT: another program's own
 * open and shared mapping of the file. */
static int otherProgram(int Argc, char **Argv) {
  if (Argc != 5)
    return 2;
  int Poke = strcmp(Argv[1], "--poke") == 0;
  int Fd = open(Argv[2], Poke ? O_RDWR : O_RDONLY);
  if (Fd < 0)
    fail("other open");
  char *M = mmap(NULL, PAGE, Poke ? PROT_READ | PROT_WRITE : PROT_READ,
                 MAP_SHARED, Fd, 0);
  if (M == MAP_FAILED)
    fail("other mmap");
  long Off = atol(Argv[3]);
  if (Poke)
    memcpy(M + Off, Argv[4], strlen(Argv[4]));
  else
    showBytes("other program's mapping", M, Off, atoi(Argv[4]));
  munmap(M, PAGE);
  close(Fd);
  return 0;
}

static void runSelf(const char *Mode, const char *Path, const char *Off,
                    const char *Arg) {
  fflush(stdout);
  pid_t P = fork();
  if (P == 0) {
    execl(Self, Self, Mode, Path, Off, Arg, (char *)NULL);
    _exit(127);
  }
  int St;
  waitpid(P, &St, 0);
  if (!WIFEXITED(St) || WEXITSTATUS(St))
    printf("FAIL %s exited %d\n", Mode, St);
}

/* How a child that touches Map[Off] ends. */
static void touchInChild(const char *What, volatile char *Map, long Off) {
  fflush(stdout);
  pid_t P = fork();
  if (P == 0) {
    signal(SIGBUS, SIG_DFL);
    volatile char C = Map[Off];
    (void)C;
    _exit(0);
  }
  int St;
  waitpid(P, &St, 0);
  if (WIFSIGNALED(St))
    printf("%s: killed by %s\n", What, strsignal(WTERMSIG(St)));
  else
    printf("%s: exit %d\n", What, WEXITSTATUS(St));
}

static sigjmp_buf Back;
static volatile sig_atomic_t Caught;
static void onBus(int Sig) {
  Caught = Sig;
  siglongjmp(Back, 1);
}

static void sharedMappings(const char *Dir) {
  char Path[600];
  join(Path, Dir, "shared");
  int Fd = open(Path, O_RDWR | O_CREAT, 0644);
  if (Fd < 0)
    fail("open shared");
  char Page[2 * PAGE];
  memset(Page, 'a', sizeof Page);
  memcpy(Page, "hello world", 11);
  if (write(Fd, Page, sizeof Page) != sizeof Page)
    fail("write");
  char *M = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, Fd, 0);
  if (M == MAP_FAILED)
    fail("mmap shared");
  showBytes("mapped", M, 0, 14);
  memcpy(M, "HELLO", 5);
  memcpy(M + PAGE + 1, "second", 6);
  showRead("read after store", Fd, 0, 14);
  showRead("read page 2", Fd, PAGE, 8);
  char Cmd[700];
  snprintf(Cmd, sizeof Cmd, "head -c 11 %s; echo", Path);
  fflush(stdout);
  printf("cat sees: ");
  fflush(stdout);
  if (system(Cmd) != 0)
    printf("system failed\n");
  pwrite(Fd, "WRITE", 5, 6);
  showBytes("map after pwrite", M, 0, 14);
  lseek(Fd, 20, SEEK_SET);
  write(Fd, "viawrite", 8);
  showBytes("map after write", M, 16, 14);

  /* A fork child opens and maps the file itself, and stores through the
   * mapping it inherited. */
  fflush(stdout);
  pid_t P = fork();
  if (P == 0) {
    int Own = open(Path, O_RDWR);
    char *C = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, Own, 0);
    if (C == MAP_FAILED)
      _exit(3);
    memcpy(C + 30, "child-own", 9);
    memcpy(M + 40, "inherited", 9);
    _exit(0);
  }
  int St;
  waitpid(P, &St, 0);
  printf("child exit %d\n", WIFEXITED(St) ? WEXITSTATUS(St) : -1);
  showBytes("parent's map after child", M, 28, 22);
  showRead("read after child", Fd, 30, 20);

  /* Another program: maps it and reads, maps it and stores. */
  runSelf("--peek", Path, "0", "14");
  runSelf("--poke", Path, "50", "other-prog");
  showBytes("after other program", M, 48, 14);

  if (msync(M, 2 * PAGE, MS_SYNC) != 0)
    fail("msync");
  printf("msync ok\n");
  if (munmap(M, 2 * PAGE) != 0)
    fail("munmap");
  char *Again = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, Fd, PAGE);
  if (Again == MAP_FAILED)
    fail("mmap at offset");
  showBytes("map at offset 4096", Again, 0, 8);
  munmap(Again, PAGE);

  /* Private: copy-on-write, the file and shared mappings unchanged. */
  char *S = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, Fd, 0);
  char *Pv = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, Fd, 0);
  if (S == MAP_FAILED || Pv == MAP_FAILED)
    fail("mmap private");
  showBytes("private before", Pv, 0, 11);
  memcpy(Pv, "private", 7);
  showBytes("private after store", Pv, 0, 11);
  showBytes("shared after private store", S, 0, 11);
  showRead("file after private store", Fd, 0, 11);
  munmap(Pv, PAGE);
  munmap(S, PAGE);
  close(Fd);
}

static void growAndShrink(const char *Dir) {
  char Path[600];
  join(Path, Dir, "grow");
  int Fd = open(Path, O_RDWR | O_CREAT, 0644);
  if (Fd < 0)
    fail("open grow");
  write(Fd, "small", 5);
  char *M = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, Fd, 0);
  if (M == MAP_FAILED)
    fail("mmap grow");
  showBytes("small file, page 1", M, 0, 8);
  touchInChild("small file, page 2", M, PAGE + 5);
  if (ftruncate(Fd, 3 * PAGE) != 0)
    fail("ftruncate grow");
  struct stat St;
  fstat(Fd, &St);
  printf("grown size %ld\n", (long)St.st_size);
  showBytes("grown page 3", M, 2 * PAGE, 4);
  memcpy(M + 2 * PAGE + 4, "page3", 5);
  showRead("read page 3", Fd, 2 * PAGE, 9);
  fstat(Fd, &St);
  printf("size after store %ld\n", (long)St.st_size);

  /* Truncate below the mapping: SIGBUS past the last page of the file. */
  if (ftruncate(Fd, 100) != 0)
    fail("ftruncate shrink");
  showBytes("after truncate, in the last page", M, 96, 8);
  touchInChild("after truncate, page 2", M, PAGE + 1);
  touchInChild("after truncate, page 3", M, 2 * PAGE + 4);
  struct sigaction A;
  memset(&A, 0, sizeof A);
  A.sa_handler = onBus;
  sigaction(SIGBUS, &A, NULL);
  if (sigsetjmp(Back, 1) == 0) {
    volatile char C = M[2 * PAGE];
    (void)C;
    printf("no signal\n");
  } else {
    printf("handler caught %s\n", strsignal(Caught));
  }
  signal(SIGBUS, SIG_DFL);
  /* A write from memory past the end: EFAULT, the file as it was. */
  char Other[600];
  join(Other, Dir, "grow-copy");
  int To = open(Other, O_RDWR | O_CREAT | O_TRUNC, 0644);
  ssize_t N = write(To, M + PAGE, 10);
  printf("write from past the end: %zd %s\n", N, N < 0 ? strerror(errno) : "");
  close(To);
  /* A mapping at an offset past the end maps; touching it is SIGBUS. */
  char *Far = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, Fd, 4 * PAGE);
  if (Far == MAP_FAILED)
    fail("mmap past end");
  touchInChild("mapped past the end", Far, 0);
  munmap(Far, PAGE);
  /* Grown again: the pages come back zeroed. */
  ftruncate(Fd, 2 * PAGE);
  showBytes("grown again, page 2", M, PAGE, 4);
  munmap(M, 3 * PAGE);
  close(Fd);
}

static void refusals(const char *Dir) {
  char Path[600];
  join(Path, Dir, "modes");
  int Fd = open(Path, O_RDWR | O_CREAT, 0644);
  write(Fd, "mode test", 9);
  close(Fd);
  int W = open(Path, O_WRONLY);
  errnoOf("O_WRONLY, shared read",
          mmap(NULL, PAGE, PROT_READ, MAP_SHARED, W, 0));
  errnoOf("O_WRONLY, private", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, W, 0));
  close(W);
  int R = open(Path, O_RDONLY);
  errnoOf("O_RDONLY, shared write",
          mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, R, 0));
  errnoOf("O_RDONLY, shared read",
          mmap(NULL, PAGE, PROT_READ, MAP_SHARED, R, 0));
  char *Pv = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, R, 0);
  if (Pv == MAP_FAILED)
    fail("O_RDONLY private write");
  memcpy(Pv, "MODE", 4);
  showBytes("O_RDONLY, private write", Pv, 0, 9);
  munmap(Pv, PAGE);
  char *Ro = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, R, 0);
  printf("O_RDONLY, shared, mprotect write: %s\n",
         mprotect(Ro, PAGE, PROT_READ | PROT_WRITE) == 0 ? "ok"
                                                         : strerror(errno));
  munmap(Ro, PAGE);
  errnoOf("unaligned offset", mmap(NULL, PAGE, PROT_READ, MAP_SHARED, R, 100));
  errnoOf("length 0", mmap(NULL, 0, PROT_READ, MAP_SHARED, R, 0));
  errnoOf("no sharing type", mmap(NULL, PAGE, PROT_READ, 0, R, 0));
  showRead("file unchanged", R, 0, 9);
  close(R);
  int D = open(Dir, O_RDONLY | O_DIRECTORY);
  errnoOf("directory", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, D, 0));
  close(D);
  char Fifo[600];
  join(Fifo, Dir, "fifo");
  mkfifo(Fifo, 0644);
  int F = open(Fifo, O_RDWR);
  errnoOf("fifo", mmap(NULL, PAGE, PROT_READ, MAP_SHARED, F, 0));
  close(F);
  errnoOf("closed descriptor", mmap(NULL, PAGE, PROT_READ, MAP_SHARED, F, 0));
  int P = open(Path, O_PATH);
  errnoOf("O_PATH", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, P, 0));
  close(P);
}

static void unlinked(const char *Dir) {
  char Path[600];
  join(Path, Dir, "gone");
  int Fd = open(Path, O_RDWR | O_CREAT, 0644);
  write(Fd, "doomed file", 11);
  char *M = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, Fd, 0);
  if (M == MAP_FAILED)
    fail("mmap gone");
  unlink(Path);
  memcpy(M, "DOOMED", 6);
  showRead("unlinked, read", Fd, 0, 11);
  close(Fd);
  showBytes("unlinked and closed, map", M, 0, 11);
  munmap(M, PAGE);
  printf("unlinked exists: %s\n", access(Path, F_OK) == 0 ? "yes" : "no");
}

/* A file opened with O_TRUNC for writing (under the personality: held in
 * its description while the server grants the lease) and then mapped;
 * stores through the mapping are what the next pread sees. */
static void heldFiles(const char *Dir) {
  char Path[600];
  join(Path, Dir, "held");
  int Fd = open(Path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  write(Fd, "0123456789", 10);
  showRead("held", Fd, 0, 10);
  char *M = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, Fd, 0);
  if (M == MAP_FAILED)
    fail("mmap held");
  memcpy(M, "XY", 2);
  showRead("held, after store", Fd, 0, 10);
  /* Opened again with O_TRUNC while mapped: the mapping and the new
   * descriptor are one file. */
  int Again = open(Path, O_RDWR | O_TRUNC);
  write(Again, "abcdefghij", 10);
  showBytes("map after O_TRUNC and write", M, 0, 10);
  memcpy(M + 4, "ZZ", 2);
  showRead("second open, after store", Again, 0, 10);
  lseek(Again, 0, SEEK_SET);
  char B[16] = {0};
  read(Again, B, 10);
  printf("second open, read: %s\n", B);
  close(Again);
  munmap(M, PAGE);
  close(Fd);

  /* Held, then a fork child maps it through the inherited descriptor. */
  join(Path, Dir, "held2");
  Fd = open(Path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  write(Fd, "parent-bytes", 12);
  showRead("held2", Fd, 0, 12);
  fflush(stdout);
  pid_t P = fork();
  if (P == 0) {
    char *C = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, Fd, 0);
    if (C == MAP_FAILED)
      _exit(3);
    memcpy(C, "CHILD-", 6);
    _exit(0);
  }
  int St;
  waitpid(P, &St, 0);
  printf("child exit %d\n", WIFEXITED(St) ? WEXITSTATUS(St) : -1);
  showRead("held2, after child's store", Fd, 0, 12);
  close(Fd);
}

/// A store through a shared mapping moves the file's modification and
/// change times, as the kernel's write fault does (ramfs kept them: the
/// store never passes the server, battery 41).
static void storeTimes(const char *Dir) {
  char Path[4096];
  snprintf(Path, sizeof(Path), "%s/stamped", Dir);
  int Fd = open(Path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (Fd < 0 || write(Fd, "0123456789", 10) != 10)
    return;
  struct timespec Old[2] = {{1000, 0}, {1000, 0}};
  futimens(Fd, Old);
  struct stat Before, After;
  fstat(Fd, &Before);
  char *M = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, Fd, 0);
  if (M == MAP_FAILED)
    return;
  struct timespec Pause = {0, 20000000};
  nanosleep(&Pause, NULL);
  M[0] = 'X';
  munmap(M, 4096);
  fstat(Fd, &After);
  printf("store through a mapping: mtime moved %d, ctime moved %d\n",
         After.st_mtime != 1000,
         After.st_ctim.tv_sec != Before.st_ctim.tv_sec ||
             After.st_ctim.tv_nsec != Before.st_ctim.tv_nsec);
  close(Fd);
  unlink(Path);
}

int main(int Argc, char **Argv) {
  Self = Argv[0];
  if (Argc > 1 && Argv[1][0] == '-' && Argv[1][1] == '-')
    return otherProgram(Argc, Argv);
  if (Argc != 2) {
    fprintf(stderr, "usage: linux-mapfiles DIR\n");
    return 2;
  }
  setvbuf(stdout, NULL, _IOLBF, 0);
  mkdir(Argv[1], 0755);
  sharedMappings(Argv[1]);
  growAndShrink(Argv[1]);
  refusals(Argv[1]);
  unlinked(Argv[1]);
  heldFiles(Argv[1]);
  storeTimes(Argv[1]);
  printf("done\n");
  return 0;
}
