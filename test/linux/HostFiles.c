/* HostFiles.c: what a program sees of files it reads from a read-only
 * mount (hostfs's /etc, /usr, /bin: read from the host by the process
 * itself under the personality), and of lookups there that fail. Run
 * natively and under k42-exec by hostfiles.test; the output must be
 * identical.
 *
 *   linux-hostfiles FILE LINKED MISSING   (the program itself)
 *   linux-hostfiles --exec FD             (after exec: reads FD)
 *   linux-hostfiles --unchanged FILE      (K42 only: EROFS through the fd)
 *
 * --unchanged asks for changes that would leave the file as it is if they
 * reached it (its own mode, owner -1, an attribute it does not have).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

static const char *err(long R) { return R < 0 ? strerrorname_np(errno) : "ok"; }

static void readAfterExec(int Fd) {
  char Buf[8];
  ssize_t N = read(Fd, Buf, sizeof(Buf));
  printf("after exec: read %zd at offset %ld\n", N,
         (long)lseek(Fd, 0, SEEK_CUR));
}

int main(int Argc, char **Argv) {
  if (Argc == 3 && strcmp(Argv[1], "--exec") == 0) {
    readAfterExec(atoi(Argv[2]));
    printf("after exec: close-on-exec descriptor %s\n",
           fcntl(atoi(Argv[2]) + 1, F_GETFD) < 0 ? strerrorname_np(errno)
                                                 : "open");
    return 0;
  }
  if (Argc == 3 && strcmp(Argv[1], "--unchanged") == 0) {
    int Fd = open(Argv[2], O_RDONLY);
    struct stat St;
    fstat(Fd, &St);
    printf("fchmod %s, fchown %s, fchownat empty %s, fremovexattr %s\n",
           err(fchmod(Fd, St.st_mode & 07777)), err(fchown(Fd, -1, -1)),
           err(fchownat(Fd, "", -1, -1, AT_EMPTY_PATH)),
           err(fremovexattr(Fd, "user.k42-none")));
    struct statfs Fs;
    printf("fstatfs: %s, read-only %d\n", err(fstatfs(Fd, &Fs)),
           (Fs.f_flags & ST_RDONLY) != 0);
    printf("access W_OK %s, R_OK %s\n", err(access(Argv[2], W_OK)),
           err(access(Argv[2], R_OK)));
    fflush(stdout);
    // A fork child's first call, before it has connections of its own.
    if (fork() == 0) {
      printf("fork child: fchmod %s\n", err(fchmod(Fd, St.st_mode & 07777)));
      fflush(stdout);
      _exit(0);
    }
    wait(NULL);
    return 0;
  }
  if (Argc != 4) {
    fprintf(stderr, "usage: linux-hostfiles FILE LINKED MISSING\n");
    return 2;
  }
  const char *File = Argv[1], *Linked = Argv[2], *Missing = Argv[3];
  struct stat Path, Fst;
  int Fd = open(File, O_RDONLY | O_CLOEXEC);
  printf("open: fd %d\n", Fd);
  if (Fd < 0)
    return 1;
  stat(File, &Path);
  fstat(Fd, &Fst);
  printf("fstat: same inode %d, same size %d, regular %d\n",
         Fst.st_ino == Path.st_ino && Fst.st_dev == Path.st_dev,
         Fst.st_size == Path.st_size, S_ISREG(Fst.st_mode));
  size_t Size = (size_t)Fst.st_size;
  unsigned char *Whole = malloc(Size + 1);
  ssize_t Got = read(Fd, Whole, Size + 1);
  printf("read: %s whole %d, then %zd at the end\n", err(Got),
         Got == (ssize_t)Size, read(Fd, Whole + Size, 1));
  printf("lseek: end %d, set %ld\n", lseek(Fd, 0, SEEK_END) == (off_t)Size,
         (long)lseek(Fd, 3, SEEK_SET));
  unsigned char Piece[8], Other[8];
  struct iovec V[2] = {{Piece, 4}, {Other, 4}};
  printf("readv: %zd, same bytes %d\n", readv(Fd, V, 2),
         memcmp(Piece, Whole + 3, 4) == 0 && memcmp(Other, Whole + 7, 4) == 0);
  printf("pread: %zd, same bytes %d, offset still %ld\n",
         pread(Fd, Piece, 8, 1), memcmp(Piece, Whole + 1, 8) == 0,
         (long)lseek(Fd, 0, SEEK_CUR));

  void *Map = mmap(NULL, Size, PROT_READ, MAP_PRIVATE, Fd, 0);
  printf("mmap private: %s, same bytes %d\n",
         Map == MAP_FAILED ? "failed" : "ok",
         Map != MAP_FAILED && memcmp(Map, Whole, Size) == 0);
  void *Shared = mmap(NULL, Size, PROT_READ, MAP_SHARED, Fd, 0);
  printf("mmap shared read: %s, same bytes %d\n",
         Shared == MAP_FAILED ? "failed" : "ok",
         Shared != MAP_FAILED && memcmp(Shared, Whole, Size) == 0);
  void *Writable = mmap(NULL, Size, PROT_READ | PROT_WRITE, MAP_SHARED, Fd, 0);
  printf("mmap shared writable: %s\n",
         Writable == MAP_FAILED ? strerrorname_np(errno) : "ok");
  void *Cow = mmap(NULL, Size, PROT_READ | PROT_WRITE, MAP_PRIVATE, Fd, 0);
  if (Cow != MAP_FAILED)
    ((unsigned char *)Cow)[0] ^= 0xff;
  printf("mmap private writable: %s, file unchanged %d\n",
         Cow == MAP_FAILED ? "failed" : "ok",
         pread(Fd, Piece, 1, 0) == 1 && Piece[0] == Whole[0]);
  printf("write: %s\n", err(write(Fd, "x", 1)));
  printf("flags: read-only %d, close-on-exec %d\n",
         (fcntl(Fd, F_GETFL) & O_ACCMODE) == O_RDONLY,
         (fcntl(Fd, F_GETFD) & FD_CLOEXEC) != 0);
  // The status flags the program asked for, no more (the personality's
  // host open probes with O_NONBLOCK), no less.
  int Plain = open(File, O_RDONLY);
  int Asked = open(File, O_RDONLY | O_NONBLOCK | O_APPEND);
  printf("status flags: plain %#x, asked %#x; close-on-exec %d %d\n",
         fcntl(Plain, F_GETFL), fcntl(Asked, F_GETFL), fcntl(Plain, F_GETFD),
         fcntl(Asked, F_GETFD));
  close(Plain);
  close(Asked);

  char Link[64], Target[4096];
  snprintf(Link, sizeof(Link), "/proc/self/fd/%d", Fd);
  ssize_t L = readlink(Link, Target, sizeof(Target) - 1);
  Target[L < 0 ? 0 : L] = 0;
  char *Real = realpath(File, NULL);
  printf("/proc/self/fd names the file: %d\n",
         Real && strcmp(Target, Real) == 0);
  free(Real);

  // dup shares the offset; a fork child reads at it and moves it.
  lseek(Fd, 10, SEEK_SET);
  int Dup = dup(Fd);
  printf("dup: offset %ld, same bytes %d\n", (long)lseek(Dup, 0, SEEK_CUR),
         read(Dup, Piece, 2) == 2 && memcmp(Piece, Whole + 10, 2) == 0);
  fflush(stdout);
  pid_t Child = fork();
  if (Child == 0) {
    unsigned char C[4];
    printf("child: offset %ld, read %zd, same %d\n",
           (long)lseek(Fd, 0, SEEK_CUR), read(Fd, C, 4),
           memcmp(C, Whole + 12, 4) == 0);
    fflush(stdout);
    _exit(0);
  }
  int Status;
  waitpid(Child, &Status, 0);
  printf("parent after child: offset %ld\n", (long)lseek(Dup, 0, SEEK_CUR));

  // Across exec: the dup (no close-on-exec) at its offset, the original
  // (close-on-exec) gone. The dup is made right below the original.
  int Keep = dup2(Dup, 20), Cloexec = fcntl(Fd, F_DUPFD_CLOEXEC, 21);
  printf("exec: keep %d, close-on-exec %d\n", Keep, Cloexec);
  fflush(stdout);
  Child = fork();
  if (Child == 0) {
    char Number[16];
    snprintf(Number, sizeof(Number), "%d", Keep);
    execl(Argv[0], Argv[0], "--exec", Number, (char *)NULL);
    _exit(127);
  }
  waitpid(Child, &Status, 0);
  close(Keep);
  close(Cloexec);
  close(Dup);
  if (Map != MAP_FAILED)
    munmap(Map, Size);
  if (Shared != MAP_FAILED)
    munmap(Shared, Size);
  if (Cow != MAP_FAILED)
    munmap(Cow, Size);
  printf("close: %s, again %s\n", err(close(Fd)), err(close(Fd)));

  // Many opens: the lowest free descriptor every time, nothing left over.
  int Lowest = 1 << 30, Highest = -1;
  for (int I = 0; I < 200; ++I) {
    int F = open(File, O_RDONLY);
    Lowest = F < Lowest ? F : Lowest;
    Highest = F > Highest ? F : Highest;
    close(F);
  }
  printf("200 opens: fd %d to %d\n", Lowest, Highest);

  // A path through a symlink: the file the link names.
  int Via = open(Linked, O_RDONLY);
  struct stat LinkedSt, ViaSt;
  stat(Linked, &LinkedSt);
  fstat(Via, &ViaSt);
  printf("through a symlink: %s, same inode %d\n", err(Via),
         Via >= 0 && ViaSt.st_ino == LinkedSt.st_ino);
  close(Via);
  struct stat Lst;
  printf("lstat of the link: %s, symlink %d\n", err(lstat(Linked, &Lst)),
         S_ISLNK(Lst.st_mode));
  printf("open O_NOFOLLOW of the link: %s\n",
         err(open(Linked, O_RDONLY | O_NOFOLLOW)));

  // Lookups that fail.
  struct stat Ms;
  printf("missing: open %s, stat %s, lstat %s, access %s\n",
         err(open(Missing, O_RDONLY | O_CLOEXEC)), err(stat(Missing, &Ms)),
         err(lstat(Missing, &Ms)), err(access(Missing, R_OK)));
  char Under[4200];
  snprintf(Under, sizeof(Under), "%s/x", Missing);
  printf("below missing: open %s, stat %s\n", err(open(Under, O_RDONLY)),
         err(stat(Under, &Ms)));
  snprintf(Under, sizeof(Under), "%s/x", File);
  printf("below a file: open %s, stat %s\n", err(open(Under, O_RDONLY)),
         err(stat(Under, &Ms)));
  snprintf(Under, sizeof(Under), "%s/", File);
  printf("file with a slash: open %s, stat %s\n", err(open(Under, O_RDONLY)),
         err(stat(Under, &Ms)));
  printf("O_DIRECTORY of a file: %s\n",
         err(open(File, O_RDONLY | O_DIRECTORY)));
  printf("next open: fd %d\n", open(File, O_RDONLY));
  return 0;
}
