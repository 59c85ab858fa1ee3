// LeaseLink.c DIR: a process holding a read lease on a file while
// another process reads the name of its descriptor (readlink of
// /proc/<pid>/fd/N, as ls -l /proc/<pid>/fd and lsof do), and the lease
// after (lease-link.test). Under K42 the reader looks at the holder's
// description through its placeholder; it opened it for writing, which
// broke the lease, and the holder, with no SIGIO handler, was killed
// (battery 37). Natively the lease stands.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc != 2)
    return 2;
  setvbuf(stdout, NULL, _IONBF, 0);
  mkdir(argv[1], 0755);
  char Path[4096];
  snprintf(Path, sizeof(Path), "%s/leased", argv[1]);
  close(open(Path, O_CREAT | O_WRONLY, 0644));
  int Fd = open(Path, O_RDONLY);
  printf("read lease: %d\n", fcntl(Fd, F_SETLEASE, F_RDLCK));
  pid_t Holder = getpid();
  pid_t Child = fork();
  if (Child == 0) {
    char Link[64], Name[4096];
    snprintf(Link, sizeof(Link), "/proc/%d/fd/%d", (int)Holder, Fd);
    long N = readlink(Link, Name, sizeof(Name) - 1);
    Name[N < 0 ? 0 : N] = 0;
    const char *Base = strrchr(Name, '/');
    printf("another process's readlink: %s\n", Base ? Base + 1 : Name);
    _exit(0);
  }
  waitpid(Child, NULL, 0);
  usleep(100 * 1000); // a lease-break SIGIO would have come by now
  printf("holder alive, lease %s\n",
         fcntl(Fd, F_GETLEASE) == F_RDLCK ? "F_RDLCK" : "gone");
  return 0;
}
