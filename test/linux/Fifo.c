// test/linux/Fifo.c: named pipes and descriptors reached by name, made
// directly (fifo.test runs it natively in a host folder and on K42's /tmp;
// the output must be equal).
//
//   linux-fifo DIR   mkfifo/mknod and stat of a FIFO; Linux's open rules
//                    (O_RDONLY waits for a writer, O_WRONLY for a reader,
//                    O_NONBLOCK's ENXIO, O_RDWR at once, EINTR or a restart
//                    when a signal comes while an open waits); EOF after the
//                    last writer; no bytes kept once every end is closed;
//                    /proc/self/fd/N of a pipe end (either side, own status
//                    flags), of a file (a new description, O_TRUNC), and
//                    readlink and stat of those names
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "InFolder.h"

static const char *err(long R) {
  if (R >= 0)
    return "ok";
  switch (errno) {
  case EPERM:
    return "EPERM";
  case ENOENT:
    return "ENOENT";
  case EEXIST:
    return "EEXIST";
  case ENXIO:
    return "ENXIO";
  case EAGAIN:
    return "EAGAIN";
  case EINTR:
    return "EINTR";
  case EBADF:
    return "EBADF";
  case EPIPE:
    return "EPIPE";
  case ELOOP:
    return "ELOOP";
  case EINVAL:
    return "EINVAL";
  default:
    return strerror(errno);
  }
}

/// What a read of up to 63 bytes gives: "EOF", the bytes, or the errno.
static const char *readText(int Fd) {
  static char Buffer[64];
  ssize_t N = read(Fd, Buffer, sizeof(Buffer) - 1);
  if (N < 0)
    return err(-1);
  if (N == 0)
    return "EOF";
  Buffer[N] = 0;
  return Buffer;
}

static volatile sig_atomic_t Handled;
static void onSignal(int Signal) {
  (void)Signal;
  Handled++;
}

/// A child that sends SIGUSR1 to its parent every 20 ms until killed (the
/// parent's open must be interrupted whenever it starts to wait).
static pid_t nagger(void) {
  pid_t Parent = getpid();
  pid_t Child = fork();
  if (Child == 0) {
    for (;;) {
      kill(Parent, SIGUSR1);
      usleep(20000);
    }
  }
  return Child;
}

static void stopChild(pid_t Child) {
  kill(Child, SIGKILL);
  while (waitpid(Child, NULL, 0) < 0 && errno == EINTR)
    ;
}

/// Entries of a descriptor directory, '.' and '..' left out.
static int entries(const char *Path) {
  DIR *D = opendir(Path);
  if (!D)
    return -1;
  int N = 0;
  for (struct dirent *E; (E = readdir(D));)
    N += E->d_name[0] != '.';
  closedir(D);
  return N;
}

static void nodes(void) {
  printf("mkfifo %s\n", err(mkfifo(at("f"), 0640)));
  printf("mkfifo again %s\n", err(mkfifo(at("f"), 0640)));
  struct stat S;
  const char *E = err(stat(at("f"), &S));
  printf("stat %s fifo %d mode %o size %ld\n", E, S_ISFIFO(S.st_mode),
         S.st_mode & 0777, (long)S.st_size);
  printf("mknod fifo %s\n", err(mknod(at("g"), S_IFIFO | 0600, 0)));
  E = err(lstat(at("g"), &S));
  printf("lstat %s fifo %d\n", E, S_ISFIFO(S.st_mode));
  printf("open O_DIRECTORY %s\n",
         err(open(at("f"), O_RDONLY | O_DIRECTORY | O_NONBLOCK)));
  printf("unlink %s\n", err(unlink(at("g"))));
  printf("stat gone %s\n", err(stat(at("g"), &S)));
}

static void nonblocking(void) {
  const char *F = at("f");
  printf("write O_NONBLOCK no reader %s\n",
         err(open(F, O_WRONLY | O_NONBLOCK)));
  int R = open(F, O_RDONLY | O_NONBLOCK);
  printf("read O_NONBLOCK no writer %s\n", err(R));
  printf("read with no writer %s\n", readText(R));
  int W = open(F, O_WRONLY | O_NONBLOCK);
  printf("write O_NONBLOCK with reader %s\n", err(W));
  printf("flags %o %o\n", fcntl(R, F_GETFL) & (O_ACCMODE | O_NONBLOCK),
         fcntl(W, F_GETFL) & (O_ACCMODE | O_NONBLOCK));
  printf("write %s\n", err(write(W, "hello", 5)));
  printf("read '%s'\n", readText(R));
  printf("read empty %s\n", readText(R));
  int W2 = open(F, O_WRONLY);
  printf("second writer %s\n", err(W2));
  close(W);
  printf("one writer left %s\n", readText(R));
  printf("write second %s\n", err(write(W2, "two", 3)));
  close(W2);
  printf("after last writer '%s'\n", readText(R));
  printf("then %s\n", readText(R));
  struct stat S;
  const char *E = err(fstat(R, &S));
  printf("fstat %s fifo %d\n", E, S_ISFIFO(S.st_mode));
  close(R);
}

static void readWrite(void) {
  const char *F = at("f");
  int Both = open(F, O_RDWR);
  printf("O_RDWR %s flags %o\n", err(Both), fcntl(Both, F_GETFL) & O_ACCMODE);
  printf("write own %s\n", err(write(Both, "self", 4)));
  printf("read own '%s'\n", readText(Both));
  printf("write kept %s\n", err(write(Both, "lost", 4)));
  close(Both);
  // Every end closed: the bytes went with the pipe.
  Both = open(F, O_RDWR | O_NONBLOCK);
  printf("reopened empty %s\n", readText(Both));
  close(Both);
}

static void blocking(void) {
  const char *F = at("f");
  fflush(stdout);
  pid_t Child = fork();
  if (Child == 0) {
    int W = open(F, O_WRONLY);
    if (write(W, "from child", 10) != 10)
      _exit(1);
    _exit(0);
  }
  int R = open(F, O_RDONLY);
  printf("blocking reader %s\n", err(R));
  printf("read '%s'\n", readText(R));
  printf("then %s\n", readText(R));
  int Status;
  waitpid(Child, &Status, 0);
  close(R);
  printf("writer exit %d\n", WEXITSTATUS(Status));

  fflush(stdout);
  Child = fork();
  if (Child == 0) {
    int R2 = open(F, O_RDONLY);
    char Buffer[16] = {0};
    ssize_t N = read(R2, Buffer, sizeof(Buffer) - 1);
    _exit(N == 6 && strcmp(Buffer, "parent") == 0 ? 0 : 1);
  }
  int W = open(F, O_WRONLY);
  printf("blocking writer %s\n", err(W));
  printf("write %s\n", err(write(W, "parent", 6)));
  close(W);
  waitpid(Child, &Status, 0);
  printf("reader exit %d\n", WEXITSTATUS(Status));
}

static void interrupted(void) {
  const char *F = at("f");
  struct sigaction A = {0};
  A.sa_handler = onSignal;
  sigaction(SIGUSR1, &A, NULL);
  Handled = 0;
  pid_t Child = nagger();
  int R = open(F, O_RDONLY);
  printf("open interrupted %s handled %d\n", err(R), Handled > 0);
  stopChild(Child);

  // With SA_RESTART the open waits on, until a writer comes.
  A.sa_flags = SA_RESTART;
  sigaction(SIGUSR1, &A, NULL);
  Handled = 0;
  Child = nagger();
  fflush(stdout);
  pid_t Writer = fork();
  if (Writer == 0) {
    // Likely after the parent waits (it is nagged meanwhile); the result
    // is the same if not.
    usleep(200000);
    int W = open(F, O_WRONLY);
    _exit(write(W, "late", 4) == 4 ? 0 : 1);
  }
  R = open(F, O_RDONLY);
  printf("open restarted %s\n", err(R));
  printf("read '%s'\n", readText(R));
  stopChild(Child);
  int Status;
  waitpid(Writer, &Status, 0);
  printf("late writer exit %d\n", WEXITSTATUS(Status));
  close(R);
  A.sa_handler = SIG_IGN; // a late signal must not end the program
  sigaction(SIGUSR1, &A, NULL);
}

static void byName(void) {
  int P[2];
  if (pipe(P) != 0)
    return;
  char Name[64], Other[64], Link[256];
  snprintf(Name, sizeof(Name), "/proc/self/fd/%d", P[0]);
  snprintf(Other, sizeof(Other), "/dev/fd/%d", P[1]);
  ssize_t N = readlink(Name, Link, sizeof(Link) - 1);
  Link[N > 0 ? N : 0] = 0;
  char Link2[256];
  ssize_t N2 = readlink(Other, Link2, sizeof(Link2) - 1);
  Link2[N2 > 0 ? N2 : 0] = 0;
  printf("readlink pipe %.6s same %d\n", Link, strcmp(Link, Link2) == 0);
  struct stat S;
  const char *E = err(stat(Name, &S));
  printf("stat pipe name %s fifo %d\n", E, S_ISFIFO(S.st_mode));
  // The read end opened for writing: a writer of the same pipe.
  int W = open(Name, O_WRONLY | O_NONBLOCK);
  printf("read end opened for writing %s flags %o\n", err(W),
         fcntl(W, F_GETFL) & (O_ACCMODE | O_NONBLOCK));
  printf("first end flags %o\n",
         fcntl(P[0], F_GETFL) & (O_ACCMODE | O_NONBLOCK));
  printf("write %s\n", err(write(W, "byname", 6)));
  printf("read '%s'\n", readText(P[0]));
  int R = open(Other, O_RDONLY);
  printf("write end opened for reading %s\n", err(R));
  close(P[1]);
  close(W);
  printf("eof after both writers %s\n", readText(R));
  printf("and %s\n", readText(P[0]));
  printf("O_NOFOLLOW %s\n", err(open(Name, O_RDONLY | O_NOFOLLOW)));
  close(R);
  close(P[0]);

  // A file: a new description, from the start, with its own flags.
  const char *F = at("file");
  int Fd = open(F, O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (write(Fd, "contents", 8) != 8)
    return;
  snprintf(Name, sizeof(Name), "/dev/fd/%d", Fd);
  int Again = open(Name, O_RDONLY);
  printf("file by name %s\n", err(Again));
  printf("read '%s'\n", readText(Again));
  printf("offsets %ld %ld\n", (long)lseek(Fd, 0, SEEK_CUR),
         (long)lseek(Again, 0, SEEK_CUR));
  snprintf(Name, sizeof(Name), "/proc/self/fd/%d", Fd);
  N = readlink(Name, Link, sizeof(Link) - 1);
  Link[N > 0 ? N : 0] = 0;
  printf("readlink file is its path %d\n", strcmp(Link, F) == 0);
  E = err(stat(Name, &S));
  printf("stat by name %s size %ld\n", E, (long)S.st_size);
  int Trunc = open(Name, O_WRONLY | O_TRUNC);
  E = err(Trunc);
  printf("O_TRUNC by name %s size %ld\n", E,
         (long)(fstat(Fd, &S) == 0 ? S.st_size : -1));
  close(Trunc);
  close(Again);
  close(Fd);
  // Listings of the descriptors show the program's own only.
  snprintf(Name, sizeof(Name), "/proc/%d/fd", (int)getpid());
  printf("listed self %d pid %d dev %d\n", entries("/proc/self/fd"),
         entries(Name), entries("/dev/fd"));
  snprintf(Name, sizeof(Name), "/dev/fd/%d", 900);
  printf("closed descriptor %s\n", err(open(Name, O_RDONLY)));
}

/// poll of a FIFO's reader opened O_NONBLOCK before any writer: no
/// POLLHUP until a writer has come and gone (Linux's f_pipe: a reader
/// polling for its first writer is told of no hang-up), then POLLHUP.
static void hangUp(void) {
  mkfifo(at("h"), 0644);
  int R = open(at("h"), O_RDONLY | O_NONBLOCK);
  struct pollfd P = {R, POLLIN, 0};
  printf("no writer yet: poll %d revents %#x\n", poll(&P, 1, 0), P.revents);
  int W = open(at("h"), O_WRONLY);
  printf("a writer: poll %d revents %#x\n", poll(&P, 1, 0), P.revents);
  close(W);
  printf("writer gone: poll %d revents %#x\n", poll(&P, 1, 0), P.revents);
  close(R);
  unlink(at("h"));
}

int main(int Argc, char **Argv) {
  if (Argc != 2) {
    fprintf(stderr, "usage: linux-fifo DIR\n");
    return 2;
  }
  snprintf(Dir, sizeof(Dir), "%s", Argv[1]);
  mkdir(Dir, 0755);
  setvbuf(stdout, NULL, _IOLBF, 0);
  nodes();
  nonblocking();
  readWrite();
  blocking();
  interrupted();
  byName();
  hangUp();
  unlink(at("f"));
  unlink(at("file"));
  rmdir(Dir);
  printf("done\n");
  return 0;
}
