//===- test/linux/Cancel.c - pthread_cancel of blocked threads ------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// linux-cancel: a thread blocked in each kind of cancellation point
// (pause, nanosleep, a pipe read, a condition wait, a busy loop with
// asynchronous cancellation) is cancelled, and its cleanup handler runs
// (cancel.test). Under the personality the thread is inside a trapped
// call's SIGSYS handler or a replaced wrapper when glibc's cancellation
// unwinds it.
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int Pipe[2];
static pthread_mutex_t Mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t Cond = PTHREAD_COND_INITIALIZER;
static int CleanedUp;

static void cleanUp(void *Arg) {
  (void)Arg;
  CleanedUp = 1;
}

static void unlockMutex(void *Arg) { pthread_mutex_unlock(Arg); }

static void *body(void *Arg) {
  const char *How = Arg;
  pthread_cleanup_push(cleanUp, NULL);
  if (!strcmp(How, "pause")) {
    for (;;)
      pause();
  } else if (!strcmp(How, "nanosleep")) {
    struct timespec Ten = {10, 0};
    nanosleep(&Ten, NULL);
  } else if (!strcmp(How, "read")) {
    char Byte;
    (void)read(Pipe[0], &Byte, 1);
  } else if (!strcmp(How, "condwait")) {
    pthread_mutex_lock(&Mutex);
    pthread_cleanup_push(unlockMutex, &Mutex);
    for (;;)
      pthread_cond_wait(&Cond, &Mutex);
    pthread_cleanup_pop(1);
  } else if (!strcmp(How, "async")) {
    pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
    for (volatile long I = 0;; ++I)
      ;
  }
  pthread_cleanup_pop(0);
  return NULL;
}

int main(void) {
  static const char *Ways[] = {"pause", "nanosleep", "read", "condwait",
                               "async"};
  alarm(30); // a thread that is never cancelled must not hang the test
  for (unsigned I = 0; I < sizeof(Ways) / sizeof(Ways[0]); ++I) {
    if (pipe(Pipe) != 0)
      return 1;
    CleanedUp = 0;
    pthread_t Thread;
    pthread_create(&Thread, NULL, body, (void *)Ways[I]);
    usleep(100000);
    pthread_cancel(Thread);
    void *Result;
    pthread_join(Thread, &Result);
    printf("%s: cancelled %d, cleaned up %d\n", Ways[I],
           Result == PTHREAD_CANCELED, CleanedUp);
    close(Pipe[0]);
    close(Pipe[1]);
  }
  // The process goes on working after them: the mutex free, a pipe.
  pthread_mutex_lock(&Mutex);
  pthread_mutex_unlock(&Mutex);
  int P[2];
  char Out[3] = {0};
  if (pipe(P) == 0 && write(P[1], "ok", 2) == 2 && read(P[0], Out, 2) == 2)
    printf("after: %s\n", Out);
  return 0;
}
