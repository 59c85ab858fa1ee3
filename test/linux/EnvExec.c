//===- test/linux/EnvExec.c - The environment a program is given ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// linux-envexec [PROGRAM ARGS...]: prints its environment, one entry a
// line, then exec's PROGRAM with it (exec-env.test: built static too, for
// the environment a static program k42-exec loads is given).
#include <stdio.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv) {
  for (char **E = environ; *E; ++E)
    printf("%s\n", *E);
  fflush(stdout);
  if (argc > 1) {
    execv(argv[1], argv + 1);
    perror(argv[1]);
    return 127;
  }
  return 0;
}
