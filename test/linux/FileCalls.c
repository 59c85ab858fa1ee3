// test/linux/FileCalls.c: file calls made directly (no shell), dynamic and
// -static, natively on a host folder and on K42's /tmp under the
// personality; what it prints must be the same.
//
//   linux-filecalls DIR   open/write/read/lseek (SEEK_DATA and SEEK_HOLE,
//                         a sparse file's too)/close/stat of DIR/f, a
//                         fork child reading an inherited descriptor at
//                         the shared offset, EBADF and EFAULT answers,
//                         O_RDONLY | O_TRUNC
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* An errno's name, for the flag checks below. */
static const char *errName(long R) {
  return R >= 0 ? "ok" : strerrorname_np(errno);
}

static const char *err(long R) {
  return R >= 0            ? "ok"
         : errno == EBADF  ? "EBADF"
         : errno == EFAULT ? "EFAULT"
                           : "other";
}

int main(int Argc, char **Argv) {
  if (Argc != 2)
    return 2;
  setvbuf(stdout, NULL, _IONBF, 0);
  char Path[4096];
  snprintf(Path, sizeof(Path), "%s/f", Argv[1]);
  mkdir(Argv[1], 0755);
  int Fd = open(Path, O_CREAT | O_TRUNC | O_RDWR, 0644);
  printf("open %s\n", Fd >= 0 ? "ok" : strerror(errno));
  printf("write %zd\n", write(Fd, "hello, K42 files\n", 17));
  printf("lseek %ld\n", (long)lseek(Fd, 7, SEEK_SET));
  char Buf[64] = {0};
  printf("read %zd '%.9s'\n", read(Fd, Buf, 9), Buf);
  printf("lseek end %ld\n", (long)lseek(Fd, 0, SEEK_END));
  // A file with no holes: data where asked, the hole at its end, ENXIO
  // at the end.
  printf("seek data %ld hole %ld\n", (long)lseek(Fd, 3, SEEK_DATA),
         (long)lseek(Fd, 3, SEEK_HOLE));
  errno = 0;
  long AtEnd = (long)lseek(Fd, 17, SEEK_DATA);
  printf("seek data at end %ld %s\n", AtEnd,
         errno == ENXIO ? "ENXIO" : "other");
  printf("pwrite %zd\n", pwrite(Fd, "k42", 3, 7));
  memset(Buf, 0, sizeof(Buf));
  printf("pread %zd '%s'", pread(Fd, Buf, sizeof(Buf) - 1, 0), Buf);
  struct stat S;
  printf("fstat %d size %ld reg %d\n", fstat(Fd, &S), (long)S.st_size,
         S_ISREG(S.st_mode));
  printf("close %d\n", close(Fd));
  printf("stat %d size %ld mode %o\n", stat(Path, &S), (long)S.st_size,
         S.st_mode & 0777);

  // A fork child reads the inherited descriptor; the parent's offset moves.
  Fd = open(Path, O_RDONLY);
  char C;
  read(Fd, &C, 1);
  pid_t Child = fork();
  if (Child == 0) {
    char Word[5] = {0};
    ssize_t N = read(Fd, Word, 4);
    printf("child read %zd '%s'\n", N, Word);
    _exit(0);
  }
  int Status;
  waitpid(Child, &Status, 0);
  printf("parent offset %ld\n", (long)lseek(Fd, 0, SEEK_CUR));
  close(Fd);

  // Errors: a closed descriptor, bad pointers (raw calls: glibc's wrappers
  // would be fine, but the answer must be the kernel's errno).
  errno = 0;
  printf("read closed %s\n", err(read(Fd, Buf, 1)));
  printf("write closed %s\n", err(write(Fd, "x", 1)));
  printf("close closed %s\n", err(close(Fd)));
  Fd = open(Path, O_RDWR);
  void *Bad = (void *)16;
  printf("read bad %s\n", err(syscall(SYS_read, Fd, Bad, 4)));
  printf("write bad %s\n", err(syscall(SYS_write, Fd, Bad, 4)));
  printf("open bad %s\n", err(syscall(SYS_open, Bad, O_RDONLY)));
  printf("stat bad path %s\n", err(syscall(SYS_stat, Bad, &S)));
  printf("stat bad buffer %s\n", err(syscall(SYS_stat, Path, Bad)));
  printf("fstat bad buffer %s\n", err(syscall(SYS_fstat, Fd, Bad)));
  close(Fd);
  // O_TRUNC asks for writing whatever the access mode: O_RDONLY | O_TRUNC
  // empties the file (and is EISDIR for a folder).
  Fd = open(Path, O_RDONLY | O_TRUNC);
  printf("open read-only truncating %s", Fd >= 0 ? "ok" : strerror(errno));
  printf(", size %ld\n", stat(Path, &S) == 0 ? (long)S.st_size : -1L);
  close(Fd);
  errno = 0;
  printf("open folder read-only truncating %s\n",
         open(Argv[1], O_RDONLY | O_TRUNC) < 0 && errno == EISDIR ? "EISDIR"
                                                                  : "other");
  // Linux's checks of an open's flags and of renameat2's, in a folder.
  char Sub[4096], Link[4096], Made[4096];
  snprintf(Sub, sizeof(Sub), "%s/sub", Argv[1]);
  snprintf(Link, sizeof(Link), "%s/sublink", Argv[1]);
  snprintf(Made, sizeof(Made), "%s/made", Argv[1]);
  mkdir(Sub, 0755);
  symlink("sub", Link);
  printf("open folder O_CREAT %s\n",
         errName(open(Sub, O_RDONLY | O_CREAT, 0644)));
  printf("open O_CREAT|O_DIRECTORY %s\n",
         errName(open(Made, O_RDWR | O_CREAT | O_DIRECTORY, 0644)));
  printf("open O_TMPFILE|O_CREAT %s\n",
         errName(open(Sub, O_TMPFILE | O_CREAT | O_RDWR, 0644)));
  printf("open symlink O_NOFOLLOW|O_DIRECTORY %s\n",
         errName(open(Link, O_RDONLY | O_NOFOLLOW | O_DIRECTORY)));
  Fd = open(Path, O_RDONLY);
  int Advice = posix_fadvise(Fd, 0, -1, POSIX_FADV_NORMAL);
  printf("fadvise negative length %s\n", Advice == EINVAL ? "EINVAL" : "other");
  close(Fd);
  printf("renameat2 NOREPLACE onto itself %s\n",
         errName(renameat2(AT_FDCWD, Path, AT_FDCWD, Path, RENAME_NOREPLACE)));
  unlink(Link);
  rmdir(Sub);
  unlink(Made);
  // A sparse file: 1 MiB of hole, then a byte. SEEK_DATA and SEEK_HOLE
  // find them (cp and tar --sparse copy such a file sparse).
  char Sparse[4096];
  snprintf(Sparse, sizeof(Sparse), "%s/sparse", Argv[1]);
  Fd = open(Sparse, O_CREAT | O_TRUNC | O_RDWR, 0644);
  printf("sparse pwrite %zd", pwrite(Fd, "x", 1, 1 << 20));
  printf(" data %ld", (long)lseek(Fd, 0, SEEK_DATA));
  printf(" hole %ld", (long)lseek(Fd, 0, SEEK_HOLE));
  printf(" hole after data %ld", (long)lseek(Fd, 1 << 20, SEEK_HOLE));
  errno = 0;
  long Past = (long)lseek(Fd, (1 << 20) + 1, SEEK_DATA);
  printf(" data past end %ld %s\n", Past, errno == ENXIO ? "ENXIO" : "other");
  close(Fd);
  unlink(Sparse);
  // The status flags an open leaves, as F_GETFL reads them: the kernel's
  // O_LARGEFILE (0100000) in all but an O_PATH description (battery 39:
  // K42's lacked it).
  int Flagged = open(Path, O_WRONLY | O_APPEND | O_SYNC);
  printf("F_GETFL write append sync 0%o", fcntl(Flagged, F_GETFL));
  close(Flagged);
  Flagged = open(Argv[1], O_RDONLY | O_DIRECTORY | O_NONBLOCK);
  printf(" folder 0%o", fcntl(Flagged, F_GETFL));
  close(Flagged);
  Flagged = open(Path, O_PATH);
  printf(" O_PATH 0%o\n", fcntl(Flagged, F_GETFL));
  close(Flagged);
  printf("unlink %d\n", unlink(Path));
  printf("stat gone %d\n", stat(Path, &S));
  return 0;
}
