// ExecLockHeld.c DIR: an exec while another thread of the process is in a
// read of a K42 file (exec-lock-held.test). The read holds the shared
// description's lock across its calls to the server, and the host ends
// the reading thread wherever it is; the exec'd image then reads the same
// descriptor, and a child the process forked before reads it too. Before,
// both waited for ever on the lock the ended thread held (battery 37: 6
// runs in 38); now the image lets go of the locks its previous image held
// (GateLock::releaseIfHeldBy), and a process waiting on a lock whose
// holder is gone takes it over.
//
// A second part kills (SIGKILL) a child in the middle of a read of a
// description the parent shares; the parent then reads it.
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

enum { Big = 16 << 20 };

static int Fd;
static char *Buffer;

/// Reads the whole file again and again (each read holds the lock).
static void *reader(void *Unused) {
  (void)Unused;
  for (;;) {
    lseek(Fd, 0, SEEK_SET);
    if (read(Fd, Buffer, Big) < 0)
      return NULL;
  }
}

static void readFour(const char *Who, int From) {
  char Four[5] = {0};
  lseek(From, 0, SEEK_SET);
  long N = read(From, Four, 4);
  printf("%s read %ld '%s'\n", Who, N, Four);
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc == 4 && !strcmp(argv[2], "execd")) {
    readFour("exec'd image", atoi(argv[3]));
    return 0;
  }
  if (argc != 2)
    return 2;
  mkdir(argv[1], 0755);
  char Path[4096];
  snprintf(Path, sizeof(Path), "%s/big", argv[1]);
  Buffer = malloc(Big);
  memset(Buffer, 'b', Big);
  memcpy(Buffer, "head", 4);
  int Out = open(Path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
  if (Out < 0 || write(Out, Buffer, Big) != Big)
    return 1;
  close(Out);
  Fd = open(Path, O_RDONLY);

  printf("== a child killed in a read\n");
  pid_t Child = fork();
  if (Child == 0) {
    reader(NULL);
    _exit(0);
  }
  usleep(30 * 1000);
  kill(Child, SIGKILL);
  readFour("parent", Fd); // before the reap: the holder is a zombie
  int Status;
  waitpid(Child, &Status, 0);
  printf("child killed: %d\n", WIFSIGNALED(Status) && WTERMSIG(Status) == 9);

  printf("== an exec while a thread reads\n");
  Child = fork();
  if (Child == 0) {
    pthread_t T;
    pthread_create(&T, NULL, reader, NULL);
    usleep(30 * 1000);
    char Number[16];
    snprintf(Number, sizeof(Number), "%d", Fd);
    execl(argv[0], argv[0], argv[1], "execd", Number, (char *)NULL);
    _exit(3);
  }
  waitpid(Child, &Status, 0);
  printf("exec'd image exited %d\n", WEXITSTATUS(Status));
  readFour("parent after", Fd);
  unlink(Path);
  return 0;
}
