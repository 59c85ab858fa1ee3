// test/linux/Processes.c: threads and processes under the personality. Each
// new thread, fork child and exec'd program must be armed again (Syscall
// User Dispatch is per thread and lost by fork and exec), so each makes
// K42's null call with an inline `syscall` and says who answered.
//
//   linux-processes PROGRAM   8 threads x 1000 null calls; fork, the child
//                             asks and execs sh; vfork; posix_spawn PROGRAM
#include <errno.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define K42_NULL 1024
#define K42_MAGIC 0x4b4200004b42L

extern char **environ;

static long raw(long Nr) {
  long Result;
  __asm__ volatile("syscall" : "=a"(Result) : "a"(Nr) : "rcx", "r11", "memory");
  return Result;
}
static const char *who(long Result) {
  return Result == K42_MAGIC ? "k42" : Result == -ENOSYS ? "ENOSYS" : "other";
}

static void *work(void *Arg) {
  (void)Arg;
  long K42 = 0;
  for (int I = 0; I < 1000; ++I)
    K42 += raw(K42_NULL) == K42_MAGIC;
  return (void *)K42;
}

int main(int Argc, char **Argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  pthread_t Threads[8];
  for (int I = 0; I < 8; ++I)
    pthread_create(&Threads[I], NULL, work, NULL);
  long K42 = 0;
  for (int I = 0; I < 8; ++I) {
    void *Count;
    pthread_join(Threads[I], &Count);
    K42 += (long)Count;
  }
  printf("threads: %ld of 8000 calls answered by K42\n", K42);

  int Status;
  pid_t Child = fork();
  if (Child == 0) {
    printf("fork child: %s\n", who(raw(K42_NULL)));
    execl("/bin/sh", "sh", "-c", "echo exec: $0", "sh ran", (char *)NULL);
    _exit(99);
  }
  waitpid(Child, &Status, 0);
  printf("fork child exit: %d\n", WEXITSTATUS(Status));

  Child = vfork();
  if (Child == 0)
    _exit(raw(K42_NULL) == K42_MAGIC ? 42 : 43);
  waitpid(Child, &Status, 0);
  printf("vfork child exit: %d\n", WEXITSTATUS(Status));

  if (Argc > 1) {
    char *Args[] = {Argv[1], "7", NULL};
    int Error = posix_spawn(&Child, Argv[1], NULL, NULL, Args, environ);
    waitpid(Child, &Status, 0);
    printf("posix_spawn: %d, exit %d\n", Error, WEXITSTATUS(Status));
  }
  return 0;
}
