//===- test/linux/SelfExe.c - A program that finds and re-runs itself -----===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// Reads its own /proc/self/exe and /proc/<pid>/exe, prints the name, and
// re-executes itself through /proc/self/exe twice (as busybox-style and
// self-updating programs do). A static program under the personality runs
// inside k42-exec, whose file the host's /proc/self/exe names: the
// personality answers with the program's (self-exe.test).
//
//===----------------------------------------------------------------------===//

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  char Exe[PATH_MAX], ByPid[PATH_MAX], Name[64];
  ssize_t N = readlink("/proc/self/exe", Exe, sizeof Exe - 1);
  if (N < 0) {
    perror("readlink /proc/self/exe");
    return 1;
  }
  Exe[N] = 0;
  snprintf(Name, sizeof Name, "/proc/%d/exe", (int)getpid());
  ssize_t M = readlink(Name, ByPid, sizeof ByPid - 1);
  const char *Base = strrchr(Exe, '/');
  char Short[4];
  ssize_t S = readlink("/proc/self/exe", Short, sizeof Short);
  printf("run %d: %s, by pid the same: %d, 4-byte buffer: %zd\n", argc,
         Base ? Base + 1 : Exe, M == N && memcmp(Exe, ByPid, (size_t)N) == 0,
         S);
  fflush(stdout);
  if (argc < 3) {
    char *Args[] = {argv[0], "again", argc == 2 ? "and again" : NULL, NULL};
    execv("/proc/self/exe", Args);
    perror("execv /proc/self/exe");
    return 1;
  }
  return 0;
}
