// ExecRaceOpen.c DIR: an exec while another thread of the process opens
// files (exec-race-open.test). The opener opens one file of DIR again and
// again, without O_CLOEXEC, and the main thread execs the program in the
// middle of that; the new image then reads every descriptor it was handed
// and counts those that do not read as the file. On Linux the exec ends
// the opener first (de_thread), so each descriptor the new image finds is
// an open of the file. Before (battery 37, 3 runs in 50), an open that
// came after the old image wrote its exec state reached the new image as
// its raw placeholder, a memfd of the personality's (read: its header);
// and a number a listed file was closed at and another open took meanwhile
// would have had the listed file's handle.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

enum { Rounds = 40, MostOpen = 64, FirstChecked = 3, LastChecked = 999 };

static const char Content[] = "exec-race-open: the file's own bytes\n";
static char Path[4096];

/// Opens the file MostOpen times, closes them all, and again.
static void *opener(void *Unused) {
  (void)Unused;
  int Fds[MostOpen];
  for (;;) {
    for (int I = 0; I < MostOpen; ++I)
      Fds[I] = open(Path, O_RDONLY);
    for (int I = 0; I < MostOpen; ++I)
      if (Fds[I] >= 0)
        close(Fds[I]);
  }
  return NULL;
}

/// The new image: every descriptor past stderr must read as the file.
static int check(void) {
  int Open = 0, Bad = 0;
  for (int Fd = FirstChecked; Fd <= LastChecked; ++Fd) {
    if (fcntl(Fd, F_GETFD) < 0)
      continue;
    ++Open;
    char Got[sizeof(Content)] = {0};
    long N = pread(Fd, Got, sizeof(Content) - 1, 0);
    if (N != (long)sizeof(Content) - 1 || memcmp(Got, Content, N) != 0) {
      ++Bad;
      char Link[64], Name[256] = {0};
      snprintf(Link, sizeof(Link), "/proc/self/fd/%d", Fd);
      (void)!readlink(Link, Name, sizeof(Name) - 1);
      fprintf(stderr,
              "descriptor %d (%s) read %ld bytes (%s), not the file's\n", Fd,
              Name, N, N < 0 ? strerror(errno) : "no error");
    }
    close(Fd);
  }
  return Open ? (Bad ? 1 : 0) : 2;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc == 3 && !strcmp(argv[2], "execd"))
    return check();
  if (argc != 2)
    return 2;
  // What the caller left open is not the test's to check.
  for (int Fd = FirstChecked; Fd <= LastChecked; ++Fd)
    close(Fd);
  mkdir(argv[1], 0755);
  snprintf(Path, sizeof(Path), "%s/file", argv[1]);
  int Out = open(Path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
  if (Out < 0 || write(Out, Content, sizeof(Content) - 1) < 0)
    return 1;
  close(Out);
  int Good = 0, Bad = 0, Empty = 0;
  for (int Round = 0; Round < Rounds; ++Round) {
    pid_t Child = fork();
    if (Child == 0) {
      pthread_t T;
      pthread_create(&T, NULL, opener, NULL);
      // Long enough for the opener to have some open, not so long that
      // every round lands at the same point of its loop.
      usleep(2000 + 500 * (Round % 8));
      execl(argv[0], argv[0], argv[1], "execd", (char *)NULL);
      _exit(3);
    }
    int Status;
    waitpid(Child, &Status, 0);
    int Code = WIFEXITED(Status) ? WEXITSTATUS(Status) : 100;
    if (Code != 0 && Code != 2)
      fprintf(stderr, "round %d: the image's status %#x\n", Round, Status);
    Good += Code == 0;
    Bad += Code != 0 && Code != 2;
    Empty += Code == 2;
  }
  // How many images found open descriptors varies from run to run; that
  // none read as anything but the file does not.
  printf("rounds %d, images with a descriptor not the file's: %d\n", Rounds,
         Bad);
  printf("images that found descriptors: %s\n", Good > 0 ? "some" : "none");
  (void)Empty;
  unlink(Path);
  rmdir(argv[1]);
  return 0;
}
