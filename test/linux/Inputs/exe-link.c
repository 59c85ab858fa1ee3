/* exe-link.c: a program's /proc/self/exe names it (exe-link.test), and an
   exec of /proc/self/exe runs it again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int Argc, char **Argv) {
  char Link[4096], Cwd[4096], Want[8200];
  ssize_t N = readlink("/proc/self/exe", Link, sizeof(Link) - 1);
  Link[N > 0 ? N : 0] = 0;
  if (!getcwd(Cwd, sizeof(Cwd)))
    return 2;
  snprintf(Want, sizeof(Want), "%s/exe-link", Cwd);
  printf("%s: /proc/self/exe is the program: %d (%s)\n",
         Argc > 1 ? Argv[1] : "first", strcmp(Link, Want) == 0, Link);
  fflush(stdout);
  if (Argc == 1) {
    execl("/proc/self/exe", "exe-link", "again", (char *)0);
    perror("execl");
    return 1;
  }
  return 0;
}
