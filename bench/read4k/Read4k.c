/* bench-read4k-client PATH ITERATIONS: writes a 4 KiB file at PATH, then
 * for each line read on stdin ("round") times ITERATIONS preads of the whole
 * file at offset 0 and prints the nanoseconds per pread. It is started once
 * per side (natively on a host file, under k42-exec on K42's /tmp) by
 * bench/read4k/run.py, which alternates rounds between the two processes so
 * both meet the same machine. Plain C, so the same binary runs both ways. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { FileSize = 4096 };

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: bench-read4k-client PATH ITERATIONS\n");
    return 2;
  }
  long iterations = atol(argv[2]);
  static char data[FileSize], buf[FileSize];
  for (int i = 0; i < FileSize; ++i)
    data[i] = (char)('a' + i % 26);
  int fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd < 0 || write(fd, data, FileSize) != FileSize) {
    perror("bench-read4k-client: create");
    return 1;
  }
  setvbuf(stdout, NULL, _IOLBF, 0);
  char line[64];
  while (fgets(line, sizeof line, stdin)) {
    double start = now_ns();
    for (long i = 0; i < iterations; ++i)
      if (pread(fd, buf, FileSize, 0) != FileSize) {
        perror("bench-read4k-client: pread");
        return 1;
      }
    double per = (now_ns() - start) / (double)iterations;
    if (memcmp(buf, data, FileSize) != 0) {
      fprintf(stderr, "bench-read4k-client: pread returned other data\n");
      return 1;
    }
    printf("%.1f\n", per);
  }
  close(fd);
  unlink(argv[1]);
  return 0;
}
