// DirOrder.c DIR: a directory's listing as tmpfs gives it (newest first,
// each d_off one past the next entry's place), telldir/seekdir, names
// removed and made while a scan goes on (the scan goes on below where it
// was, never shows a name twice, never a name made after the open), a
// rewind seeing the new names, lseek's answers, and removing every entry
// while reading (rm -rf's pattern). DIR must not exist; it is left empty.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

struct Dirent64 {
  unsigned long long Ino;
  long long Off;
  unsigned short Reclen;
  unsigned char Type;
  char Name[];
};

static const char *Dir;

static void make(const char *Name) {
  char P[512];
  snprintf(P, sizeof P, "%s/%s", Dir, Name);
  int Fd = open(P, O_CREAT | O_WRONLY, 0644);
  if (Fd < 0) {
    perror(P);
    exit(1);
  }
  close(Fd);
}

static void drop(const char *Name) {
  char P[512];
  snprintf(P, sizeof P, "%s/%s", Dir, Name);
  if (unlink(P) != 0)
    printf("unlink %s: %s\n", Name, strerror(errno));
}

/// One getdents64 into a buffer of \p Room bytes, printed; the count.
static long batch(int Fd, size_t Room, int Remove) {
  char Buf[4096];
  long N = syscall(SYS_getdents64, Fd, Buf, Room);
  if (N < 0) {
    printf("getdents64: %s\n", strerror(errno));
    return N;
  }
  for (long At = 0; At < N;) {
    struct Dirent64 *D = (struct Dirent64 *)(Buf + At);
    printf(" %s@%lld", D->Name, D->Off);
    if (Remove && strcmp(D->Name, ".") && strcmp(D->Name, ".."))
      drop(D->Name);
    At += D->Reclen;
  }
  printf("%s\n", N ? "" : " (end)");
  return N;
}

static void listAll(const char *What, int Fd, size_t Room) {
  printf("%s:\n", What);
  while (batch(Fd, Room, 0) > 0)
    ;
}

int main(int Argc, char **Argv) {
  if (Argc != 2)
    return 2;
  Dir = Argv[1];
  if (mkdir(Dir, 0755) != 0) {
    perror(Dir);
    return 1;
  }
  char Name[16];
  for (int I = 0; I < 10; ++I) {
    snprintf(Name, sizeof Name, "f%d", I);
    make(Name);
  }
  int Fd = open(Dir, O_RDONLY | O_DIRECTORY);
  listAll("whole", Fd, sizeof(char[4096]));

  // telldir after four entries, seekdir back to it.
  DIR *D = opendir(Dir);
  struct dirent *E;
  long Tell = -1;
  printf("readdir:");
  for (int I = 0; (E = readdir(D)); ++I) {
    printf(" %s", E->d_name);
    if (I == 3)
      Tell = telldir(D);
  }
  printf("\ntelldir %ld, seekdir:", Tell);
  seekdir(D, Tell);
  while ((E = readdir(D)))
    printf(" %s", E->d_name);
  printf("\n");
  closedir(D);

  // A scan in batches of about three entries while names go and come.
  lseek(Fd, 0, SEEK_SET);
  printf("changing:\n");
  batch(Fd, 80, 0);
  drop("f8");
  drop("f6");
  drop("f9");
  make("new1");
  printf("lseek cur %ld\n", (long)lseek(Fd, 0, SEEK_CUR));
  while (batch(Fd, 80, 0) > 0)
    ;
  make("new2");
  listAll("rewound", Fd, sizeof(char[4096]));
  lseek(Fd, 0, SEEK_SET);
  listAll("rewound again", Fd, sizeof(char[4096]));
  errno = 0;
  long At = (long)lseek(Fd, 0, SEEK_END);
  printf("lseek end %ld %s\n", At, strerror(errno));
  errno = 0;
  At = (long)lseek(Fd, -1, SEEK_SET);
  printf("lseek -1 %ld %s\n", At, strerror(errno));

  // rm -rf's pattern: each name removed as it is read.
  lseek(Fd, 0, SEEK_SET);
  printf("removing:\n");
  while (batch(Fd, 80, 1) > 0)
    ;
  close(Fd);
  printf("rmdir %d\n", rmdir(Dir));
  return 0;
}
