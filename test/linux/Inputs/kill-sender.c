/* kill-sender.c: the siginfo a signal from another process carries
   (kill-sender.test): kill and pidfd_send_signal name the sender (si_pid,
   si_uid, SI_USER), sigqueue too (SI_QUEUE, its value); kill of a
   process that is gone is ESRCH, and of one whose user differs EPERM. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  setvbuf(stdout, 0, _IONBF, 0);
  alarm(20);
  sigset_t Set;
  sigemptyset(&Set);
  sigaddset(&Set, SIGUSR1);
  sigprocmask(SIG_BLOCK, &Set, NULL);
  pid_t Me = getpid();
  const char *Ways[] = {"pidfd_send_signal", "kill", "sigqueue"};
  for (int K = 0; K < 3; ++K) {
    int Ready[2];
    if (pipe(Ready) != 0)
      return 2;
    pid_t C = fork();
    if (C == 0) {
      siginfo_t Info;
      close(Ready[0]);
      close(Ready[1]); // the child is waiting from now on
      sigwaitinfo(&Set, &Info);
      printf("%s: from the parent %d, uid %d, code %s, value %d\n", Ways[K],
             Info.si_pid == Me, Info.si_uid == getuid(),
             Info.si_code == SI_USER    ? "SI_USER"
             : Info.si_code == SI_QUEUE ? "SI_QUEUE"
                                        : "other",
             Info.si_code == SI_QUEUE ? Info.si_value.sival_int : 0);
      _exit(0);
    }
    close(Ready[1]);
    char B;
    (void)read(Ready[0], &B, 1);
    close(Ready[0]);
    if (K == 0) {
      int Fd = (int)syscall(SYS_pidfd_open, C, 0);
      syscall(SYS_pidfd_send_signal, Fd, SIGUSR1, NULL, 0);
      close(Fd);
    } else if (K == 1) {
      kill(C, SIGUSR1);
    } else {
      sigqueue(C, SIGUSR1, (union sigval){.sival_int = 7});
    }
    waitpid(C, NULL, 0);
    if (K == 1) {
      errno = 0;
      int R = kill(C, SIGUSR1);
      printf("kill of a reaped child: %d %s\n", R, strerror(errno));
    }
  }
  return 0;
}
