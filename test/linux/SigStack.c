// test/linux/SigStack.c: a signal handler running on a small alternate
// stack (sysconf(_SC_SIGSTKSZ), with nothing mapped for 1 MiB below it)
// reads and writes a file, small and large counts; natively on a host
// folder and on K42's /tmp under the personality, where the SIGSYS handler
// (or the direct branch) runs on that same stack. What it prints must be
// the same.
//
//   linux-sigstack DIR
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int Fd;
static char Small[64];
static char Large[8192];
static ssize_t Wrote[2], Read[3];
static int OnStack;
static char *Low, *High;

static void handler(int Signal) {
  (void)Signal;
  char Here;
  OnStack = &Here >= Low && &Here < High;
  memset(Large, 'L', sizeof(Large));
  Wrote[0] = pwrite(Fd, "from the handler\n", 17, 0);
  Wrote[1] = pwrite(Fd, Large, sizeof(Large), 17);
  Read[0] = pread(Fd, Small, 16, 0);
  memset(Large, 0, sizeof(Large));
  Read[1] = pread(Fd, Large, sizeof(Large), 17);
  lseek(Fd, 5, SEEK_SET);
  Read[2] = read(Fd, Small + 32, 11);
}

int main(int Argc, char **Argv) {
  if (Argc != 2)
    return 2;
  setvbuf(stdout, NULL, _IONBF, 0);
  char Path[4096];
  snprintf(Path, sizeof(Path), "%s/f", Argv[1]);
  mkdir(Argv[1], 0755);
  // Made, then opened again without O_TRUNC: not held in the description,
  // so every read and write below is a call to the file server.
  close(open(Path, O_CREAT | O_TRUNC | O_WRONLY, 0644));
  Fd = open(Path, O_RDWR);
  long Size = sysconf(_SC_SIGSTKSZ);
  if (Size < SIGSTKSZ)
    Size = SIGSTKSZ;
  size_t Guard = 1 << 20;
  char *Region = mmap(NULL, Guard + (size_t)Size, PROT_NONE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (Region == MAP_FAILED ||
      mprotect(Region + Guard, (size_t)Size, PROT_READ | PROT_WRITE) != 0)
    return 1;
  Low = Region + Guard;
  High = Low + Size;
  stack_t Alt = {.ss_sp = Low, .ss_size = (size_t)Size, .ss_flags = 0};
  struct sigaction Act = {0};
  Act.sa_handler = handler;
  Act.sa_flags = SA_ONSTACK;
  if (sigaltstack(&Alt, NULL) != 0 || sigaction(SIGUSR1, &Act, NULL) != 0)
    return 1;
  raise(SIGUSR1);
  printf("handler on the alternate stack %d\n", OnStack);
  printf("pwrite %zd %zd\n", Wrote[0], Wrote[1]);
  printf("pread %zd '%s'\n", Read[0], Small);
  int AllL = 1;
  for (size_t I = 0; I < sizeof(Large); ++I)
    AllL &= Large[I] == 'L';
  printf("pread large %zd all L %d\n", Read[1], AllL);
  printf("read %zd '%s'\n", Read[2], Small + 32);
  struct stat S;
  printf("size %ld\n", fstat(Fd, &S) == 0 ? (long)S.st_size : -1L);
  close(Fd);
  unlink(Path);
  rmdir(Argv[1]);
  return 0;
}
