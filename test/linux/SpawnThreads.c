// test/linux/SpawnThreads.c: posix_spawn from several threads at once. A
// posix_spawn child runs in its parent's memory until it execs, while the
// parent's other threads go on closing their descriptors and opening new
// ones at the same numbers: each child must still get what the host copied
// at its clone, and nothing else.
//
//   linux-spawnthreads pipes FILE THREADS EACH
//       each child's stdin, stdout and stderr on pipes of its own made
//       close-on-exec (as a JVM's ProcessBuilder or Python's subprocess in
//       a thread pool does); the child echoes its stdin. Prints the tally.
//   linux-spawnthreads files DIR THREADS EACH
//       each thread opens a file of DIR without O_CLOEXEC around each spawn
//       and closes it as soon as the spawn returns; the child may inherit
//       any thread's file (as natively), and each it has must read as one.
//       Prints the tally.
//   linux-spawnthreads --child FILE KEPT
//       the pipes' child: names on stderr each descriptor it holds that is
//       not 0, 1, 2 or in KEPT (its parent's own inherited ones, "3,7", or
//       "-"), reads FILE to its end (as a program loading its locale does),
//       then copies its stdin to its stdout
//   linux-spawnthreads --file-child KEPT
//       the files' child: each descriptor it holds but 0, 1, 2 and KEPT
//       must read "file:" at its start; else it names it (exit 3)
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "AwaitChild.h"

extern char **environ;

enum { MaxFd = 1000 };

/* Whether descriptor Fd is in the list Kept ("3,7" or "-"). */
static int inList(const char *Kept, int Fd) {
  char Name[16];
  snprintf(Name, sizeof(Name), "%d", Fd);
  size_t N = strlen(Name);
  for (const char *At = strstr(Kept, Name); At; At = strstr(At + 1, Name))
    if ((At == Kept || At[-1] == ',') && (At[N] == ',' || !At[N]))
      return 1;
  return 0;
}

static int child(const char *File, const char *Kept) {
  // The descriptors first: the file's open below takes the lowest free
  // number.
  int Leaked = 0;
  for (int I = 3; I < MaxFd; ++I) {
    if (fcntl(I, F_GETFD) < 0 || inList(Kept, I))
      continue;
    fprintf(stderr, "leaked %d\n", I);
    Leaked = 1;
  }
  char Buffer[4096];
  int Fd = open(File, O_RDONLY | O_CLOEXEC);
  if (Fd < 0) {
    fprintf(stderr, "open %s: %s\n", File, strerror(errno));
    return 2;
  }
  while (read(Fd, Buffer, sizeof(Buffer)) > 0)
    ;
  close(Fd);
  ssize_t Got;
  while ((Got = read(0, Buffer, sizeof(Buffer))) > 0)
    if (write(1, Buffer, (size_t)Got) != Got)
      return 2;
  return Leaked ? 3 : 0;
}

static int fileChild(const char *Kept) {
  int Wrong = 0;
  for (int I = 3; I < MaxFd; ++I) {
    if (fcntl(I, F_GETFD) < 0 || inList(Kept, I))
      continue;
    char Head[6] = {0};
    if (pread(I, Head, 5, 0) != 5 || strcmp(Head, "file:")) {
      char Proc[32], Link[64] = {0};
      snprintf(Proc, sizeof(Proc), "/proc/self/fd/%d", I);
      if (readlink(Proc, Link, sizeof(Link) - 1) < 0)
        strcpy(Link, "?");
      fprintf(stderr, "fd %d (%s) is no file's: it reads [%s]\n", I, Link,
              Head);
      Wrong = 1;
    }
  }
  return Wrong ? 3 : 0;
}

static const char *Self;
static const char *File, *Dir;
static char Kept[256] = "-";
static int Each;
static pthread_mutex_t TallyLock = PTHREAD_MUTEX_INITIALIZER;
static int Spawned, Wrong, Leaked, Hung, Failed;

/* Reads Fd to its end into Out (at most Room - 1 bytes, NUL-ended); -1 if
   nothing came for 20 s. */
static int readAll(int Fd, char *Out, size_t Room) {
  size_t Have = 0;
  for (;;) {
    struct pollfd P = {Fd, POLLIN, 0};
    if (poll(&P, 1, 20000) <= 0)
      return -1;
    char Scratch[256];
    ssize_t Got = read(Fd, Scratch, sizeof(Scratch));
    if (Got <= 0)
      break;
    size_t Keep = (size_t)Got < Room - 1 - Have ? (size_t)Got : Room - 1 - Have;
    memcpy(Out + Have, Scratch, Keep);
    Have += Keep;
  }
  Out[Have] = 0;
  return 0;
}

static void tally(int *Counter) {
  pthread_mutex_lock(&TallyLock);
  ++*Counter;
  pthread_mutex_unlock(&TallyLock);
}

static void *fileSpawner(void *Arg) {
  long Thread = (long)Arg;
  char Path[4096];
  snprintf(Path, sizeof(Path), "%s/f%ld", Dir, Thread);
  for (int I = 0; I < Each; ++I) {
    int Fd = open(Path, O_RDONLY);
    char *Argv[] = {(char *)Self, "--file-child", Kept, NULL};
    pid_t Pid;
    int E = Fd < 0 ? errno : posix_spawn(&Pid, Self, NULL, NULL, Argv, environ);
    if (Fd >= 0)
      close(Fd);
    if (E) {
      tally(&Failed);
      continue;
    }
    tally(&Spawned);
    int Status = 0;
    if (!awaitChild(Pid, 20, &Status))
      tally(&Hung);
    else if (WIFEXITED(Status) && WEXITSTATUS(Status) == 3)
      tally(&Wrong);
    else if (!WIFEXITED(Status) || WEXITSTATUS(Status))
      tally(&Failed);
  }
  return NULL;
}

static void *spawner(void *Arg) {
  long Thread = (long)Arg;
  for (int I = 0; I < Each; ++I) {
    int In[2], Out[2], Err[2];
    if (pipe2(In, O_CLOEXEC) || pipe2(Out, O_CLOEXEC) ||
        pipe2(Err, O_CLOEXEC)) {
      tally(&Failed);
      return NULL;
    }
    posix_spawn_file_actions_t Actions;
    posix_spawn_file_actions_init(&Actions);
    posix_spawn_file_actions_adddup2(&Actions, In[0], 0);
    posix_spawn_file_actions_adddup2(&Actions, Out[1], 1);
    posix_spawn_file_actions_adddup2(&Actions, Err[1], 2);
    char *Argv[] = {(char *)Self, "--child", (char *)File, Kept, NULL};
    pid_t Pid;
    int E = posix_spawn(&Pid, Self, &Actions, NULL, Argv, environ);
    posix_spawn_file_actions_destroy(&Actions);
    close(In[0]);
    close(Out[1]);
    close(Err[1]);
    if (E) {
      tally(&Failed);
      close(In[1]);
      close(Out[0]);
      close(Err[0]);
      continue;
    }
    tally(&Spawned);
    char Message[32], Echo[64], Complaint[256];
    int N = snprintf(Message, sizeof(Message), "%ld:%d\n", Thread, I);
    int Wrote = (int)write(In[1], Message, (size_t)N);
    close(In[1]);
    int Timed = readAll(Out[0], Echo, sizeof(Echo)) |
                readAll(Err[0], Complaint, sizeof(Complaint));
    close(Out[0]);
    close(Err[0]);
    int Status = 0;
    if (Timed || !awaitChild(Pid, 20, &Status)) {
      tally(&Hung);
      continue;
    }
    if (WIFEXITED(Status) && WEXITSTATUS(Status) == 3) {
      tally(&Leaked);
      fprintf(stderr, "child %ld:%d: %s", Thread, I, Complaint);
    } else if (Wrote != N || strcmp(Echo, Message) || Complaint[0] ||
               !WIFEXITED(Status) || WEXITSTATUS(Status)) {
      tally(&Wrong);
      fprintf(stderr,
              "child %ld:%d: wrote %d, echoed [%s], said [%s], status %#x\n",
              Thread, I, Wrote, Echo, Complaint, Status);
    }
  }
  return NULL;
}

int main(int Argc, char **Argv) {
  if (Argc == 4 && !strcmp(Argv[1], "--child"))
    return child(Argv[2], Argv[3]);
  if (Argc == 3 && !strcmp(Argv[1], "--file-child"))
    return fileChild(Argv[2]);
  int Files = Argc == 5 && !strcmp(Argv[1], "files");
  if (Argc != 5 || (!Files && strcmp(Argv[1], "pipes"))) {
    fprintf(stderr, "usage: %s pipes FILE|files DIR THREADS EACH\n", Argv[0]);
    return 2;
  }
  Self = Argv[0];
  File = Dir = Argv[2];
  int Threads = atoi(Argv[3]);
  Each = atoi(Argv[4]);
  if (Threads < 1 || Threads > 64 || Each < 1)
    return 2;
  signal(SIGPIPE, SIG_IGN);
  // What this process was handed and keeps across exec, its children get too.
  size_t Used = 0;
  for (int I = 3; I < MaxFd; ++I) {
    int Flags = fcntl(I, F_GETFD);
    if (Flags < 0 || (Flags & FD_CLOEXEC))
      continue;
    int N =
        snprintf(Kept + Used, sizeof(Kept) - Used, "%s%d", Used ? "," : "", I);
    if (N < 0 || (size_t)N >= sizeof(Kept) - Used)
      return 2;
    Used += (size_t)N;
  }
  for (long I = 0; Files && I < Threads; ++I) {
    char Path[4096], Text[32];
    snprintf(Path, sizeof(Path), "%s/f%ld", Dir, I);
    int Fd = open(Path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int N = snprintf(Text, sizeof(Text), "file:%ld\n", I);
    if (Fd < 0 || write(Fd, Text, (size_t)N) != N)
      return 2;
    close(Fd);
  }
  pthread_t Ids[64];
  for (long I = 0; I < Threads; ++I)
    pthread_create(&Ids[I], NULL, Files ? fileSpawner : spawner, (void *)I);
  for (int I = 0; I < Threads; ++I)
    pthread_join(Ids[I], NULL);
  printf("%s: spawned %d: wrong %d, leaked %d, hung %d, failed %d\n", Argv[1],
         Spawned, Wrong, Leaked, Hung, Failed);
  return 0;
}
