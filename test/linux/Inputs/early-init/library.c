// test/linux/Inputs/early-init/library.c: libearly.so, whose constructor
// reads a file of the current directory and makes one there, as a
// library reading its configuration or opening its log does.
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char Report[512];

__attribute__((constructor)) static void early(void) {
  char Line[64] = {0};
  int In = open("settings", O_RDONLY);
  ssize_t N = In >= 0 ? read(In, Line, sizeof(Line) - 1) : -1;
  if (In >= 0)
    close(In);
  if (N > 0 && Line[N - 1] == '\n')
    Line[N - 1] = 0;
  int Out = open("made-by-library", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (Out >= 0)
    close(Out);
  snprintf(Report, sizeof(Report), "library constructor read '%s', made %s",
           N > 0 ? Line : "(nothing)", Out >= 0 ? "its file" : "nothing");
}

const char *libraryReport(void) { return Report; }
