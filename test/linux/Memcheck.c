//===- test/linux/Memcheck.c - A program with errors for valgrind ---------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// What valgrind's memcheck finds in a program (memcheck.test): a block
// lost, a branch on memory never written, a read past a block's end; then
// a file written in the current folder and read back by a fork child that
// exec's cat. Built with -O0 so each error stays where the source has it.
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/// Where the lost block's address was, cleared so nothing points at it.
static char *volatile Lost;

int main(void) {
  Lost = malloc(100);
  strcpy(Lost, "lost");
  Lost = NULL;

  // The branch is the error; what it found is not printed (it is
  // whatever the block held).
  int *Unwritten = malloc(4 * sizeof(int));
  volatile int Way = 0;
  if (Unwritten[1] > 0)
    Way = 1;
  else
    Way = 2;
  (void)Way;
  puts("unwritten: read");
  free(Unwritten);

  char *Short = malloc(8);
  memset(Short, 'x', 8);
  volatile char Past = Short[8];
  (void)Past;
  free(Short);

  int Fd = open("memcheck-file", O_CREAT | O_TRUNC | O_WRONLY, 0600);
  if (Fd < 0 || write(Fd, "written\n", 8) != 8 || close(Fd) != 0) {
    perror("memcheck-file");
    return 1;
  }
  fflush(stdout);
  pid_t Child = fork();
  if (Child == 0) {
    execl("/bin/cat", "cat", "memcheck-file", (char *)NULL);
    _exit(127);
  }
  int Status = 0;
  if (Child < 0 || waitpid(Child, &Status, 0) != Child) {
    perror("fork");
    return 1;
  }
  printf("cat: %d\n", WIFEXITED(Status) ? WEXITSTATUS(Status) : -1);
  return 0;
}
