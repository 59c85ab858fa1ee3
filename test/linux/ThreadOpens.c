// Threads that open and close files at the same time, round after round:
// the main thread reads the folder (opendir) and a file (fopen) before
// each round starts eight threads, each of which stats, opens, fstats,
// reads and closes its own file. Under the personality every open looks
// at the process's other descriptors (a copy of the file held in one must
// be dropped), which the other threads are closing meanwhile. With a host
// folder as the third argument, each thread also stats a symlink of its
// own in the folder that leads to a host file of its own size: under the
// personality each such stat leaves K42 for the host, at the path the
// symlink named, while the other threads' do the same. Prints the same
// natively and under K42.
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { Threads = 8, Calls = 50 };

static const char *Dir;
static const char *HostDir;

static void *work(void *Arg) {
  long Id = (long)Arg;
  char Path[4096], Got[64];
  snprintf(Path, sizeof(Path), "%s/f%ld", Dir, Id);
  long Bad = 0;
  for (int R = 0; R < Calls; ++R) {
    struct stat St;
    if (stat(Path, &St) != 0)
      ++Bad;
    int Fd = open(Path, O_RDONLY);
    if (Fd < 0) {
      ++Bad;
      continue;
    }
    if (fstat(Fd, &St) != 0)
      ++Bad;
    if (read(Fd, Got, sizeof(Got)) <= 0)
      ++Bad;
    if (close(Fd) != 0)
      ++Bad;
    if (HostDir) {
      snprintf(Path, sizeof(Path), "%s/l%ld", Dir, Id);
      if (stat(Path, &St) != 0 || St.st_size != 100 * (Id + 1))
        ++Bad;
      snprintf(Path, sizeof(Path), "%s/f%ld", Dir, Id);
    }
  }
  return (void *)Bad;
}

int main(int Argc, char **Argv) {
  if (Argc != 3 && Argc != 4) {
    fprintf(stderr, "usage: %s FOLDER ROUNDS [HOST-FOLDER]\n", Argv[0]);
    return 2;
  }
  Dir = Argv[1];
  int Rounds = atoi(Argv[2]);
  HostDir = Argc == 4 ? Argv[3] : NULL;
  if (mkdir(Dir, 0755) != 0) {
    perror("mkdir");
    return 1;
  }
  for (long I = 0; I < Threads; ++I) {
    char Path[4096];
    snprintf(Path, sizeof(Path), "%s/f%ld", Dir, I);
    FILE *F = fopen(Path, "w");
    if (!F || fprintf(F, "file %ld\n", I) < 0 || fclose(F) != 0) {
      perror("fopen");
      return 1;
    }
    if (HostDir) {
      char Target[4096];
      snprintf(Target, sizeof(Target), "%s/h%ld", HostDir, I);
      snprintf(Path, sizeof(Path), "%s/l%ld", Dir, I);
      int Fd = open(Target, O_CREAT | O_TRUNC | O_WRONLY, 0644);
      if (Fd < 0 || ftruncate(Fd, 100 * (I + 1)) != 0 || close(Fd) != 0 ||
          symlink(Target, Path) != 0) {
        perror("symlink");
        return 1;
      }
    }
  }
  long Bad = 0;
  for (int R = 0; R < Rounds; ++R) {
    DIR *D = opendir(Dir);
    int Names = 0;
    while (D && readdir(D))
      ++Names;
    if (!D || closedir(D) != 0 || Names != (HostDir ? 2 : 1) * Threads + 2)
      ++Bad;
    char Path[4096], Line[64];
    snprintf(Path, sizeof(Path), "%s/f0", Dir);
    FILE *F = fopen(Path, "r");
    if (!F || !fgets(Line, sizeof(Line), F) || fclose(F) != 0)
      ++Bad;
    pthread_t T[Threads];
    for (long I = 0; I < Threads; ++I)
      pthread_create(&T[I], NULL, work, (void *)I);
    for (int I = 0; I < Threads; ++I) {
      void *Result;
      pthread_join(T[I], &Result);
      Bad += (long)Result;
    }
  }
  printf("%d rounds of %d threads: %ld wrong answers\n", Rounds, Threads, Bad);
  return Bad != 0;
}
