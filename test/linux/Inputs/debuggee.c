// test/linux/Inputs/debuggee.c: what tracestops.test debugs with gdb, built
// with -g -O0 in the test: file calls in a function to stop in, step over
// and finish (one from a bad pointer), a raised signal, a thread's file calls,
// and exit code 3.
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile sig_atomic_t Caught;

static void onUsr1(int Signal) { Caught = Signal; }

static int work(const char *Path) {
  int Fd = open(Path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
  int N = (int)write(Fd, "hello\n", 6);
  if (write(Fd, (const void *)8, 4) >= 0) // EFAULT, and no signal
    N = -1;
  close(Fd);
  return N;
}

static void *reader(void *Path) {
  char Buffer[16] = {0};
  int Fd = open((const char *)Path, O_RDONLY);
  int N = (int)read(Fd, Buffer, sizeof(Buffer) - 1);
  close(Fd);
  printf("thread read %d\n", N);
  return NULL;
}

int main(void) {
  signal(SIGUSR1, onUsr1);
  int N = work("debuggee.txt");
  raise(SIGUSR1);
  pthread_t Thread;
  pthread_create(&Thread, NULL, reader, "debuggee.txt");
  pthread_join(Thread, NULL);
  unlink("debuggee.txt");
  printf("wrote %d, handler saw %d\n", N, (int)Caught);
  return 3;
}
