/*===- test/linux/AwaitChild.h - A child's end, or its hang ---------------===*
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 *===----------------------------------------------------------------------===*
 *
 * For the suite's programs that count hung children rather than hang
 * themselves (ForkBusy.c, SignalDefer.c): a child still running after a
 * time is killed.
 *
 *===----------------------------------------------------------------------===*/

#ifndef K42_TEST_LINUX_AWAITCHILD_H
#define K42_TEST_LINUX_AWAITCHILD_H

#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Waits up to Seconds for Child; 1 with its wait status in *Status once it
   ended, 0 if it was still running (then killed and reaped). */
static int awaitChild(pid_t Child, double Seconds, int *Status) {
  struct timespec T;
  clock_gettime(CLOCK_MONOTONIC, &T);
  double Limit = T.tv_sec + T.tv_nsec / 1e9 + Seconds;
  pid_t Got;
  while ((Got = waitpid(Child, Status, WNOHANG)) == 0) {
    clock_gettime(CLOCK_MONOTONIC, &T);
    if (T.tv_sec + T.tv_nsec / 1e9 >= Limit) {
      kill(Child, SIGKILL);
      waitpid(Child, Status, 0);
      return 0;
    }
    usleep(1000);
  }
  return 1;
}

#endif /* K42_TEST_LINUX_AWAITCHILD_H */
