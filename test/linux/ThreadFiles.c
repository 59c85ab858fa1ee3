// Threads that call the file servers at the same time: each makes its own
// file in the folder argv[1] and then opens, reads, stats and closes it
// over and over, while the others do the same. Under the personality every
// one of these is a server call over the process's shared channels, each
// holding a slot only for the call; a slot two calls shared would show as
// a wrong byte, size or error. Prints the same natively and under K42.
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { Threads = 8, Rounds = 200 };

static const char *Dir;

static void *work(void *Arg) {
  long Id = (long)Arg;
  char Path[4096], Want[64], Got[64];
  snprintf(Path, sizeof(Path), "%s/t%ld", Dir, Id);
  int Len = snprintf(Want, sizeof(Want), "thread %ld's own bytes%.*s", Id,
                     (int)Id, "xxxxxxxx");
  int Fd = open(Path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
  if (Fd < 0 || write(Fd, Want, Len) != Len || close(Fd) != 0)
    return (void *)-1L;
  long Bad = 0;
  for (int R = 0; R < Rounds; ++R) {
    struct stat St;
    Fd = open(Path, O_RDONLY);
    if (Fd < 0) {
      ++Bad;
      continue;
    }
    memset(Got, 0, sizeof(Got));
    if (pread(Fd, Got, sizeof(Got), 0) != Len || memcmp(Got, Want, Len))
      ++Bad;
    if (fstat(Fd, &St) != 0 || St.st_size != Len)
      ++Bad;
    if (close(Fd) != 0)
      ++Bad;
    if (stat(Path, &St) != 0 || St.st_size != Len)
      ++Bad;
  }
  return (void *)Bad;
}

int main(int Argc, char **Argv) {
  if (Argc != 2) {
    fprintf(stderr, "usage: %s FOLDER\n", Argv[0]);
    return 2;
  }
  Dir = Argv[1];
  if (mkdir(Dir, 0755) != 0) {
    perror("mkdir");
    return 1;
  }
  pthread_t T[Threads];
  for (long I = 0; I < Threads; ++I)
    pthread_create(&T[I], NULL, work, (void *)I);
  long Bad = 0;
  for (int I = 0; I < Threads; ++I) {
    void *Result;
    pthread_join(T[I], &Result);
    Bad += (long)Result;
  }
  printf("%d threads, %d rounds each: %ld wrong answers\n", Threads, Rounds,
         Bad);
  for (long I = 0; I < Threads; ++I) {
    char Path[4096];
    snprintf(Path, sizeof(Path), "%s/t%ld", Dir, I);
    struct stat St;
    if (stat(Path, &St) == 0)
      printf("t%ld: %lld bytes\n", I, (long long)St.st_size);
  }
  return Bad != 0;
}
