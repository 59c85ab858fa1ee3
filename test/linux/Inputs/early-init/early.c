// test/linux/Inputs/early-init/early.c: code of a program that runs before
// main, as a sanitizer's start-up and a library's initialiser do: a
// .preinit_array function, and (through libearly.so) a constructor of a
// library the program needs. What each sees of the process must be what
// main sees: its executable, its current directory, its files.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/// libearly.so's constructor's report.
const char *libraryReport(void);

static char PreinitExe[4096];
static char PreinitCwd[4096];

static void preinit(int Argc, char **Argv, char **Envp) {
  (void)Argc;
  (void)Argv;
  (void)Envp;
  ssize_t N = readlink("/proc/self/exe", PreinitExe, sizeof(PreinitExe) - 1);
  PreinitExe[N > 0 ? N : 0] = 0;
  if (!getcwd(PreinitCwd, sizeof(PreinitCwd)))
    strcpy(PreinitCwd, "?");
}

__attribute__((section(".preinit_array"),
               used)) static void (*Preinit)(int, char **, char **) = preinit;

int main(void) {
  char Exe[4096], Cwd[4096];
  ssize_t N = readlink("/proc/self/exe", Exe, sizeof(Exe) - 1);
  Exe[N > 0 ? N : 0] = 0;
  if (!getcwd(Cwd, sizeof(Cwd)))
    strcpy(Cwd, "?");
  printf("preinit sees main's executable %d, current directory %d\n",
         strcmp(PreinitExe, Exe) == 0, strcmp(PreinitCwd, Cwd) == 0);
  printf("%s\n", libraryReport());
  printf("the library's file here %d\n", access("made-by-library", F_OK) == 0);
  return 0;
}
