/*===- bench/process/Process.c - What one process's life costs ------------===*
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 *===----------------------------------------------------------------------===*
 *
 * The pieces an SDET script is made of, one at a time, so that the gap
 * between the personality and native can be split (utils/k42 bench
 * process runs this natively and under k42-exec, run.py). Each mode
 * prints the nanoseconds one operation took, averaged over N:
 *
 *   fork N          fork, _exit in the child, waitpid
 *   exec N          this program exec'ing itself N times in a chain
 *   spawn N PROG    fork, execv(PROG) in the child, waitpid. The parent
 *                   stats PROG first, as a shell finds it on its PATH:
 *                   under K42 the parent then has the mount table and
 *                   the answer about PROG's mount, which its children
 *                   inherit (without it, each child fetched the table
 *                   itself: two kernel connections and four calls)
 *   open N FILE     open, read to the end, close
 *   stat N FILE     stat
 *   join N FILE     fork; the child opens FILE, reads it, closes it and
 *                   _exits; waitpid. The parent stats FILE first, as a
 *                   shell has its folder: under K42 the parent has then
 *                   joined the file's server and the child has not, so
 *                   each child's open is its first call there
 *   killgroup N     kill(0, SIGUSR1) in a group of its own with a child
 *                   (both ignore SIGUSR1): a group signal, which goes
 *                   through the process server under K42 (timeout's
 *                   second SIGTERM is one)
 *   write FILE      makes FILE, 4 KiB (nothing printed)
 *
 *===----------------------------------------------------------------------===*/

#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now(void) {
  struct timespec T;
  clock_gettime(CLOCK_MONOTONIC, &T);
  return T.tv_sec * 1000000000LL + T.tv_nsec;
}

static int fail(const char *What) {
  perror(What);
  return 1;
}

/* Waits for Child; nonzero unless it exited with 0. */
static int reap(pid_t Child) {
  int Status;
  if (waitpid(Child, &Status, 0) != Child)
    return 1;
  return !WIFEXITED(Status) || WEXITSTATUS(Status) != 0;
}

static int readAll(const char *File) {
  char Buffer[8192];
  int Fd = open(File, O_RDONLY);
  if (Fd < 0)
    return 1;
  ssize_t Got;
  while ((Got = read(Fd, Buffer, sizeof Buffer)) > 0)
    ;
  close(Fd);
  return Got < 0;
}

static void report(long long Start, long N) {
  printf("%.1f\n", (double)(now() - Start) / (double)N);
}

int main(int Argc, char **Argv) {
  if (Argc < 3) {
    fprintf(stderr,
            "usage: %s fork|exec|spawn|open|stat|join|killgroup N [FILE|PROG]\n"
            "       %s write FILE\n",
            Argv[0], Argv[0]);
    return 2;
  }
  const char *Mode = Argv[1];
  if (!strcmp(Mode, "write")) {
    char Page[4096];
    memset(Page, 'k', sizeof Page);
    int Fd = open(Argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (Fd < 0 || write(Fd, Page, sizeof Page) != (ssize_t)sizeof Page)
      return fail(Argv[2]);
    return close(Fd) != 0;
  }
  long N = atol(Argv[2]);
  if (!strcmp(Mode, "exec")) {
    /* exec N [START TOTAL]: N execs left; the chain carries its start and
       its length, and the last program reports. */
    int Chained = Argc > 4;
    long long Start = Chained ? atoll(Argv[3]) : now();
    long Total = Chained ? atol(Argv[4]) : N;
    if (N <= 0 || Total <= 0) {
      if (Chained && N == 0) {
        report(Start, Total);
        return 0;
      }
      fprintf(stderr, "%s: N must be positive\n", Argv[0]);
      return 2;
    }
    char Left[32], Begun[32], Length[32];
    snprintf(Left, sizeof Left, "%ld", N - 1);
    snprintf(Begun, sizeof Begun, "%lld", Start);
    snprintf(Length, sizeof Length, "%ld", Total);
    char *Next[] = {Argv[0], "exec", Left, Begun, Length, NULL};
    execv(Argv[0], Next);
    return fail("execv");
  }
  if (N <= 0) {
    fprintf(stderr, "%s: N must be positive\n", Argv[0]);
    return 2;
  }
  const char *Target = Argc > 3 ? Argv[3] : NULL;
  if ((!strcmp(Mode, "spawn") || !strcmp(Mode, "open") ||
       !strcmp(Mode, "stat") || !strcmp(Mode, "join")) &&
      !Target) {
    fprintf(stderr, "%s %s: a file is needed\n", Argv[0], Mode);
    return 2;
  }
  if (!strcmp(Mode, "join") || !strcmp(Mode, "spawn")) {
    struct stat Info;
    if (stat(Target, &Info) != 0)
      return fail(Target);
  }
  if (!strcmp(Mode, "killgroup")) {
    // In a child, which is no session leader (k42-exec's first program
    // may be one: setpgid EPERM), leading a group of its own with its
    // own child.
    signal(SIGUSR1, SIG_IGN);
    fflush(stdout);
    pid_t Runner = fork();
    if (Runner < 0)
      return fail("fork");
    if (Runner == 0) {
      if (setpgid(0, 0) != 0)
        _exit(fail("setpgid"));
      pid_t Child = fork();
      if (Child < 0)
        _exit(fail("fork"));
      if (Child == 0) {
        pause();
        _exit(0);
      }
      long long Start = now();
      for (long I = 0; I < N; ++I)
        if (kill(0, SIGUSR1) != 0)
          _exit(fail("kill"));
      report(Start, N);
      fflush(stdout);
      kill(Child, SIGKILL);
      reap(Child);
      _exit(0);
    }
    return reap(Runner);
  }
  long long Start = now();
  for (long I = 0; I < N; ++I) {
    if (!strcmp(Mode, "fork") || !strcmp(Mode, "spawn") ||
        !strcmp(Mode, "join")) {
      pid_t Child = fork();
      if (Child < 0)
        return fail("fork");
      if (Child == 0) {
        if (!strcmp(Mode, "spawn")) {
          char *Args[] = {(char *)Target, NULL};
          execv(Target, Args);
          _exit(127);
        }
        _exit(!strcmp(Mode, "join") ? readAll(Target) : 0);
      }
      if (reap(Child)) {
        fprintf(stderr, "%s %s: a child failed\n", Argv[0], Mode);
        return 1;
      }
    } else if (!strcmp(Mode, "open")) {
      if (readAll(Target))
        return fail(Target);
    } else if (!strcmp(Mode, "stat")) {
      struct stat Info;
      if (stat(Target, &Info) != 0)
        return fail(Target);
    } else {
      fprintf(stderr, "%s: no mode '%s'\n", Argv[0], Mode);
      return 2;
    }
  }
  report(Start, N);
  return 0;
}
