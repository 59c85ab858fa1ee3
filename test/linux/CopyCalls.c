// CopyCalls.c DIR: sendfile, splice and copy_file_range between files in
// DIR (made and removed), pipes and a host file, and their errors, printed
// so a run natively in a host folder and one on K42's /tmp compare
// (copycalls.test). A broken copy shows as different bytes or offsets.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static void result(const char *What, long R) {
  if (R < 0)
    printf("%s: -1 %s\n", What, strerror(errno));
  else
    printf("%s: %ld\n", What, R);
}

/// The file's bytes as text (printable ones), its size, and the
/// descriptor's offset.
static void show(const char *What, const char *Path, int Fd) {
  char Buf[256];
  int In = open(Path, O_RDONLY);
  long N = In < 0 ? -1 : read(In, Buf, sizeof(Buf) - 1);
  if (In >= 0)
    close(In);
  if (N < 0)
    N = 0;
  Buf[N] = 0;
  for (long I = 0; I < N; ++I)
    if (Buf[I] < ' ' || Buf[I] > '~')
      Buf[I] = '.';
  printf("%s: '%s' size %ld offset %ld\n", What, Buf, N,
         Fd >= 0 ? (long)lseek(Fd, 0, SEEK_CUR) : -1L);
}

static int make(const char *Path, const char *Text) {
  int Fd = open(Path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (Fd < 0 || write(Fd, Text, strlen(Text)) != (ssize_t)strlen(Text)) {
    perror(Path);
    exit(1);
  }
  lseek(Fd, 0, SEEK_SET);
  return Fd;
}

static void drain(const char *What, int Fd) {
  char Buf[256];
  long N = read(Fd, Buf, sizeof(Buf) - 1);
  if (N < 0)
    N = 0;
  Buf[N] = 0;
  printf("%s: '%s'\n", What, Buf);
}

int main(int Argc, char **Argv) {
  if (Argc != 2) {
    fprintf(stderr, "usage: %s DIR\n", Argv[0]);
    return 2;
  }
  setvbuf(stdout, NULL, _IOLBF, 0);
  alarm(20); // a copy that moved nothing must not leave a read waiting
  mkdir(Argv[1], 0755);
  if (chdir(Argv[1]) != 0) {
    perror(Argv[1]);
    return 1;
  }

  printf("== sendfile\n");
  int Src = make("src", "0123456789abcdefghij");
  int Dst = make("dst", "");
  lseek(Src, 2, SEEK_SET);
  result("file to file at its offset", sendfile(Dst, Src, NULL, 5));
  show("dst", "dst", Dst);
  printf("src offset %ld\n", (long)lseek(Src, 0, SEEK_CUR));
  off_t At = 10;
  result("file to file at an offset", sendfile(Dst, Src, &At, 100));
  printf("offset now %ld, src offset %ld\n", (long)At,
         (long)lseek(Src, 0, SEEK_CUR));
  show("dst", "dst", Dst);
  int P[2];
  if (pipe(P) != 0)
    return 1;
  At = 0;
  result("file to pipe", sendfile(P[1], Src, &At, 4));
  drain("pipe", P[0]);
  int Host = open("/etc/hostname", O_RDONLY);
  int Copy = make("from-host", "");
  long Sent = sendfile(Copy, Host, NULL, 1 << 20);
  struct stat St;
  fstat(Host, &St);
  printf("host file to file: %s\n", Sent == St.st_size ? "whole" : "not whole");
  close(Host);
  close(Copy);
  // A larger file than one buffer.
  int Big = make("big", "");
  char Chunk[1000];
  for (int I = 0; I < 200; ++I) {
    memset(Chunk, 'a' + I % 26, sizeof(Chunk));
    if (write(Big, Chunk, sizeof(Chunk)) != (ssize_t)sizeof(Chunk))
      return 1;
  }
  lseek(Big, 0, SEEK_SET);
  int Big2 = make("big2", "");
  result("200000 bytes", sendfile(Big2, Big, NULL, 300000));
  printf("big2 size %ld, offset %ld\n", (long)lseek(Big2, 0, SEEK_END),
         (long)lseek(Big, 0, SEEK_CUR));
  result("from a pipe", sendfile(Dst, P[0], NULL, 4));
  result("a bad descriptor", sendfile(Dst, 77, NULL, 4));
  result("a bad offset pointer", sendfile(Dst, Src, (off_t *)8, 4));
  At = -1;
  result("a negative offset", sendfile(Dst, Src, &At, 4));
  result("nothing", sendfile(Dst, Src, NULL, 0));

  printf("== splice\n");
  loff_t From = 3;
  result("file to pipe", splice(Src, &From, P[1], NULL, 6, 0));
  printf("offset now %ld\n", (long)From);
  int Out = make("spliced", "");
  loff_t To = 2;
  result("pipe to file at an offset", splice(P[0], NULL, Out, &To, 100, 0));
  printf("offset now %ld\n", (long)To);
  show("spliced", "spliced", Out);
  result("file to file", splice(Src, NULL, Out, NULL, 4, 0));
  result("an offset for a pipe", splice(P[0], &From, Out, NULL, 4, 0));
  result("unknown flags", splice(Src, NULL, P[1], NULL, 4, 0x100));
  result("file to pipe at its offset", splice(Src, NULL, P[1], NULL, 3, 0));
  drain("pipe", P[0]);
  // A socket has no offset: read as it comes (it was ESPIPE).
  int Pair[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, Pair) != 0)
    return 1;
  if (write(Pair[0], "sockdata", 8) != 8)
    return 1;
  result("socket to pipe", splice(Pair[1], NULL, P[1], NULL, 4, 0));
  drain("pipe", P[0]);
  if (write(P[1], "back", 4) != 4)
    return 1;
  result("pipe to socket", splice(P[0], NULL, Pair[1], NULL, 4, 0));
  char Back[8] = {0};
  printf("socket got '%.*s'\n", (int)read(Pair[0], Back, sizeof(Back)), Back);
  close(Pair[0]);
  close(Pair[1]);

  printf("== copy_file_range\n");
  int Cp = make("copy", "----------");
  loff_t In = 5, OutAt = 1;
  result("with offsets", copy_file_range(Src, &In, Cp, &OutAt, 4, 0));
  printf("offsets now %ld %ld\n", (long)In, (long)OutAt);
  show("copy", "copy", Cp);
  lseek(Src, 0, SEEK_SET);
  result("at the descriptors' offsets",
         copy_file_range(Src, NULL, Cp, NULL, 3, 0));
  show("copy", "copy", Cp);
  printf("src offset %ld\n", (long)lseek(Src, 0, SEEK_CUR));
  result("past the end", copy_file_range(Src, NULL, Cp, NULL, 1000, 0));
  show("copy", "copy", Cp);
  result("flags", copy_file_range(Src, NULL, Cp, NULL, 3, 1));
  result("a pipe", copy_file_range(P[0], NULL, Cp, NULL, 3, 0));
  loff_t SelfIn = 0, SelfOut = 4;
  result("overlapping itself",
         copy_file_range(Cp, &SelfIn, Cp, &SelfOut, 10, 0));

  // Into an O_APPEND description: Linux copies nothing.
  printf("== into O_APPEND\n");
  int App = open("app", O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
  lseek(Src, 0, SEEK_SET);
  result("sendfile", sendfile(App, Src, NULL, 3));
  result("copy_file_range", copy_file_range(Src, NULL, App, NULL, 3, 0));
  if (write(P[1], "pip", 3) == 3)
    result("splice", splice(P[0], NULL, App, NULL, 3, 0));
  struct stat AppSt;
  fstat(App, &AppSt);
  printf("app size %ld\n", (long)AppSt.st_size);
  close(App);

  // A folder: no splice_read (sendfile and splice EINVAL), and
  // copy_file_range's EISDIR on either side, before its EBADF.
  printf("== a folder\n");
  int Dir = open(".", O_RDONLY | O_DIRECTORY);
  lseek(Src, 0, SEEK_SET);
  result("sendfile from it", sendfile(Dst, Dir, NULL, 3));
  result("sendfile into it", sendfile(Dir, Src, NULL, 3));
  result("splice from it", splice(Dir, NULL, P[1], NULL, 3, 0));
  result("copy_file_range from it",
         copy_file_range(Dir, NULL, Dst, NULL, 3, 0));
  result("copy_file_range into it",
         copy_file_range(Src, NULL, Dir, NULL, 3, 0));
  close(Dir);

  // SPLICE_F_NONBLOCK: where a pipe would make the call wait, EAGAIN, and
  // nothing is taken from the source that the full pipe could not hold
  // (battery 39: each waited, for the alarm).
  printf("== SPLICE_F_NONBLOCK\n");
  int Empty[2], Full[2];
  if (pipe(Empty) != 0 || pipe(Full) != 0)
    return 1;
  lseek(Src, 0, SEEK_SET);
  result("empty pipe to file",
         splice(Empty[0], NULL, Dst, NULL, 5, SPLICE_F_NONBLOCK));
  char Four[4];
  struct iovec Into = {Four, sizeof(Four)};
  result("vmsplice from an empty pipe",
         vmsplice(Empty[0], &Into, 1, SPLICE_F_NONBLOCK));
  fcntl(Full[1], F_SETFL, O_NONBLOCK);
  char Page[4096] = {0};
  long Filled = 0;
  for (long N; (N = write(Full[1], Page, sizeof(Page))) > 0;)
    Filled += N;
  fcntl(Full[1], F_SETFL, 0);
  printf("filled %ld\n", Filled);
  result("file to a full pipe",
         splice(Src, NULL, Full[1], NULL, 4, SPLICE_F_NONBLOCK));
  printf("src offset %ld\n", (long)lseek(Src, 0, SEEK_CUR));
  if (write(Empty[1], "kept", 4) != 4)
    return 1;
  result("pipe to a full pipe",
         splice(Empty[0], NULL, Full[1], NULL, 4, SPLICE_F_NONBLOCK));
  drain("the source pipe", Empty[0]);
  struct iovec One = {"x", 1};
  result("vmsplice into a full pipe",
         vmsplice(Full[1], &One, 1, SPLICE_F_NONBLOCK));
  for (int I = 0; I < 2; ++I) {
    close(Empty[I]);
    close(Full[I]);
  }

  // The copies seen by another process.
  fflush(stdout);
  pid_t Child = fork();
  if (Child == 0) {
    show("another process's dst", "dst", -1);
    fflush(stdout);
    _exit(0);
  }
  int Status;
  waitpid(Child, &Status, 0);
  const char *Names[] = {"src",  "dst",     "from-host", "big",
                         "big2", "spliced", "copy",      "app"};
  for (unsigned I = 0; I < sizeof(Names) / sizeof(Names[0]); ++I)
    unlink(Names[I]);
  if (chdir("/") == 0)
    rmdir(Argv[1]);
  return 0;
}
