//===- test/linux/CpuClocks.c - Clocks, the CPU-time ones above all -------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// What clock_gettime, clock_getres and clock answer for every clock (the
// vDSO's, the CPU-time ones, a thread's and another process's CPU clock,
// ids that are no clock), then many CPU-time reads (cpu-clocks.test counts
// their traps). Prints only what is the same on every run: results,
// resolutions, and whether the CPU times move forward.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *result(int R) {
  return R == 0 ? "ok" : strerrorname_np(errno);
}

static void show(const char *Name, clockid_t Clock) {
  struct timespec Res = {0, 0}, Now = {0, 0};
  int R = clock_getres(Clock, &Res);
  printf("%s: getres %s", Name, result(R));
  if (R == 0)
    printf(" %ld.%09ld", (long)Res.tv_sec, Res.tv_nsec);
  R = clock_gettime(Clock, &Now);
  printf(", gettime %s\n", result(R));
}

static double seconds(clockid_t Clock) {
  struct timespec T;
  clock_gettime(Clock, &T);
  return T.tv_sec + T.tv_nsec / 1e9;
}

int main(int Argc, char **Argv) {
  static const struct {
    const char *Name;
    clockid_t Clock;
  } Clocks[] = {{"REALTIME", CLOCK_REALTIME},
                {"MONOTONIC", CLOCK_MONOTONIC},
                {"PROCESS_CPUTIME", CLOCK_PROCESS_CPUTIME_ID},
                {"THREAD_CPUTIME", CLOCK_THREAD_CPUTIME_ID},
                {"MONOTONIC_RAW", CLOCK_MONOTONIC_RAW},
                {"REALTIME_COARSE", CLOCK_REALTIME_COARSE},
                {"MONOTONIC_COARSE", CLOCK_MONOTONIC_COARSE},
                {"BOOTTIME", CLOCK_BOOTTIME},
                {"TAI", CLOCK_TAI},
                {"no clock 100", 100},
                {"no clock -1", -1}};
  for (size_t I = 0; I < sizeof(Clocks) / sizeof(Clocks[0]); ++I)
    show(Clocks[I].Name, Clocks[I].Clock);
  clockid_t Thread, Parent;
  if (pthread_getcpuclockid(pthread_self(), &Thread) == 0)
    show("this thread's clock", Thread);
  if (clock_getcpuclockid(getppid(), &Parent) == 0)
    show("the parent's clock", Parent);
  // CPU time moves forward while the process computes.
  double Before = seconds(CLOCK_PROCESS_CPUTIME_ID);
  clock_t Ticks = clock();
  volatile unsigned long Sum = 0;
  while (seconds(CLOCK_PROCESS_CPUTIME_ID) - Before < 0.02)
    for (int I = 0; I < 10000; ++I)
      Sum += (unsigned long)I;
  printf("process time forward: %s\n",
         seconds(CLOCK_PROCESS_CPUTIME_ID) > Before ? "yes" : "no");
  printf("clock() forward: %s\n", clock() > Ticks ? "yes" : "no");
  printf("thread time forward: %s\n",
         seconds(CLOCK_THREAD_CPUTIME_ID) > 0 ? "yes" : "no");
  int Reads = Argc > 1 ? 0 : 1;
  (void)Argv;
  for (int I = 0; Reads && I < 10000; ++I) {
    (void)seconds(CLOCK_PROCESS_CPUTIME_ID);
    (void)clock();
  }
  printf("reads: done\n");
  return 0;
}
