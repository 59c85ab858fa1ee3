/* subreaper.c: a child subreaper (prctl PR_SET_CHILD_SUBREAPER) adopts
   the grandchild its child orphans (subreaper.test): the grandchild's
   getppid names it, not init, and it reaps the grandchild. */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  setvbuf(stdout, 0, _IONBF, 0);
  alarm(20);
  if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
    return 2;
  pid_t Me = getpid();
  pid_t Child = fork();
  if (Child == 0) {
    pid_t Parent = getpid();
    if (fork() == 0) {
      for (int I = 0; I < 300 && getppid() == Parent; ++I)
        usleep(10000);
      printf("grandchild: getppid is the subreaper %d, init %d\n",
             getppid() == Me, getppid() == 1);
      _exit(9);
    }
    _exit(0);
  }
  waitpid(Child, NULL, 0);
  int Status = 0;
  pid_t Reaped = waitpid(-1, &Status, 0);
  printf("the subreaper reaped the grandchild: %d, status %d\n", Reaped > 0,
         WEXITSTATUS(Status));
  return 0;
}
