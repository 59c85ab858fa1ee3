// Descriptors from 1000 up that are the program's own (high-fds.test): a
// program holding more than a thousand descriptors gets numbers from 1000
// up, where the personality keeps its own, and must be able to use, dup
// onto, close, hand on across fork and exec, and list them as natively.
//
//   linux-highfds FOLDER        the checks below, in FOLDER (a scratch
//                               folder: K42's under the personality)
//   linux-highfds child FD      an exec'd child: FD still open? closed?
//   linux-highfds personality FOLDER
//                               under K42 only: the personality's own
//                               numbers are not the program's to take
//   linux-highfds inherited FD  FD, opened by the caller: write and close
//
// Prints only what is the same natively and under K42.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

enum { Many = 1100, Limit = 2048 };

static int Fds[Many];

static const char *result(long R) {
  return R >= 0 ? "ok" : strerrorname_np(errno);
}

/// Opens \p Path Many times; true if the highest number is 1000 or more.
static int openMany(const char *Path, int Flags) {
  int Highest = -1;
  for (int I = 0; I < Many; ++I) {
    Fds[I] = open(Path, Flags);
    if (Fds[I] < 0) {
      printf("open %d: %s\n", I, strerrorname_np(errno));
      exit(1);
    }
    if (Fds[I] > Highest)
      Highest = Fds[I];
  }
  return Highest >= 1000;
}

/// Closes every descriptor openMany made; prints how many closes failed.
static void closeMany(const char *What) {
  int Failed = 0;
  for (int I = 0; I < Many; ++I)
    if (close(Fds[I]) != 0)
      ++Failed;
  printf("%s: %d closes failed\n", What, Failed);
}

/// Whether /proc/self/fd lists \p Fd.
static int listed(int Fd) {
  DIR *D = opendir("/proc/self/fd");
  if (!D)
    return 0;
  int Found = 0;
  for (struct dirent *E; (E = readdir(D));)
    if (atoi(E->d_name) == Fd && E->d_name[0] != '.')
      Found = 1;
  closedir(D);
  return Found;
}

/// Writes \p Text to a new file \p Path and reads it back: the file
/// system still answers.
static void stillWorks(const char *Dir, const char *Name) {
  char Path[4096], Back[16] = {0};
  snprintf(Path, sizeof(Path), "%s/%s", Dir, Name);
  int Fd = open(Path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  long W = Fd >= 0 ? write(Fd, "still", 5) : -1;
  long R = W == 5 ? pread(Fd, Back, sizeof(Back) - 1, 0) : -1;
  printf("%s: %s\n", Name, R == 5 ? Back : "broken");
  if (Fd >= 0)
    close(Fd);
}

/// Descriptors open from 3 to 4095 (the exec'd child counts its own).
static int openCount(void) {
  int N = 0;
  for (int Fd = 3; Fd < 4096; ++Fd)
    if (fcntl(Fd, F_GETFD) >= 0)
      ++N;
  return N;
}

/// How many descriptors a child this program execs finds open.
static int execCount(void) {
  int P[2];
  if (pipe2(P, O_CLOEXEC) != 0)
    return -1;
  pid_t Pid = fork();
  if (Pid == 0) {
    char Self[4096], Out[16];
    long N = readlink("/proc/self/exe", Self, sizeof(Self) - 1);
    if (N < 0)
      _exit(1);
    Self[N] = 0;
    snprintf(Out, sizeof(Out), "%d", P[1]);
    fcntl(P[1], F_SETFD, 0);
    execl(Self, Self, "count", Out, (char *)NULL);
    _exit(127);
  }
  close(P[1]);
  int Count = -1;
  if (read(P[0], &Count, sizeof(Count)) != sizeof(Count))
    Count = -1;
  close(P[0]);
  waitpid(Pid, NULL, 0);
  return Count;
}

/// A new descriptor's verdict: from 1000 up, usable and closable.
static const char *kind(int Fd) {
  if (Fd < 0)
    return strerrorname_np(errno);
  if (Fd < 1000)
    return "below 1000";
  int Ok = fcntl(Fd, F_GETFD) >= 0;
  return Ok && close(Fd) == 0 ? "high, fcntl ok, close ok" : "high, refused";
}

static int signalfdHigh(void) {
  sigset_t Set;
  sigemptyset(&Set);
  sigaddset(&Set, SIGUSR2);
  return signalfd(-1, &Set, SFD_CLOEXEC);
}

static int ptyPeerHigh(void) {
  int Master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (Master < 0 || unlockpt(Master) != 0)
    return -1;
  int Peer = ioctl(Master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  close(Master);
  return Peer;
}

static int pidfdHigh(void) {
  int Pidfd = -1;
  long Pid = syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, 0, &Pidfd, 0, 0);
  if (Pid == 0)
    _exit(0);
  if (Pid < 0)
    return -1;
  waitpid(Pid, NULL, 0);
  return Pidfd;
}

/// A descriptor the program's caller opened before K42 started it: the
/// program's own, to use and close.
static int inherited(int Fd) {
  printf("inherited: fd %s\n", fcntl(Fd, F_GETFD) >= 0 ? "open" : "closed");
  printf("inherited: write %s\n", result(write(Fd, "kept\n", 5)));
  printf("inherited: close %s\n", result(close(Fd)));
  return 0;
}

static int child(int Fd) {
  printf("child: fd %s\n", fcntl(Fd, F_GETFD) >= 0 ? "open" : "closed");
  printf("child: close %s\n", result(close(Fd)));
  return 0;
}

/// Under K42 only: the numbers from 1000 to 1031 that the personality
/// holds are out of the program's reach (none is open to it, a dup2 onto
/// one is EBUSY, a close EBADF), and K42's files still answer after.
static int personality(const char *Dir) {
  stillWorks(Dir, "connected");
  int Null = open("/dev/null", O_WRONLY);
  int Open = 0, Busy = 0, Placed = 0, Closed = 0, FirstBusy = -1;
  for (int Fd = 1000; Fd < 1032; ++Fd) {
    if (fcntl(Fd, F_GETFD) >= 0)
      ++Open;
    if (close(Fd) == 0)
      ++Closed;
    if (dup2(Null, Fd) == Fd) {
      ++Placed;
    } else if (errno == EBUSY) {
      ++Busy;
      if (FirstBusy < 0)
        FirstBusy = Fd;
    }
  }
  printf("open to the program: %d, closed: %d\n", Open, Closed);
  printf("placed: %d, busy: %d\n", Placed, Busy);
  printf("dup of a busy one: %s\n", result(dup(FirstBusy)));
  // Where every exec puts the personality's state: never the program's.
  printf("dup2 onto 1007, 1008, 1009: %s %s %s\n", result(dup2(Null, 1007)),
         result(dup2(Null, 1008)), result(dup2(Null, 1009)));
  // Every other call that takes a descriptor: none of them is open.
  struct stat St;
  char Byte;
  printf(
      "fstat %s, write %s, read %s, lseek %s, ioctl %s, mmap %s\n",
      result(fstat(FirstBusy, &St)), result(write(FirstBusy, "x", 1)),
      result(read(FirstBusy, &Byte, 1)), result(lseek(FirstBusy, 0, SEEK_CUR)),
      result(ioctl(FirstBusy, FIONREAD, &Open)),
      result(mmap(NULL, 4096, PROT_READ, MAP_SHARED, FirstBusy, 0) == MAP_FAILED
                 ? -1
                 : 0));
  printf("openat from it %s, fstatat %s\n",
         result(openat(FirstBusy, "x", O_RDONLY)),
         result(fstatat(FirstBusy, "", &St, AT_EMPTY_PATH)));
  // Nor is one polled, selected, or sent to another process (its kernel
  // connection would go with it).
  struct pollfd P[2] = {{Null, POLLOUT, 0}, {FirstBusy, POLLIN, 0}};
  int Polled = poll(P, 2, 0);
  printf("poll: %d, revents %s %s\n", Polled,
         P[0].revents & POLLOUT ? "POLLOUT" : "-",
         P[1].revents == POLLNVAL ? "POLLNVAL" : "ready");
  fd_set Read;
  FD_ZERO(&Read);
  if (FirstBusy < FD_SETSIZE)
    FD_SET(FirstBusy, &Read);
  struct timeval Zero = {0, 0};
  printf("select: %s\n",
         result(select(FirstBusy + 1, &Read, NULL, NULL, &Zero)));
  int Pair[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, Pair) == 0) {
    char Control[CMSG_SPACE(2 * sizeof(int))] = {0};
    struct iovec Io = {"x", 1};
    struct msghdr Msg = {0};
    Msg.msg_iov = &Io;
    Msg.msg_iovlen = 1;
    Msg.msg_control = Control;
    Msg.msg_controllen = sizeof(Control);
    struct cmsghdr *C = CMSG_FIRSTHDR(&Msg);
    C->cmsg_level = SOL_SOCKET;
    C->cmsg_type = SCM_RIGHTS;
    C->cmsg_len = CMSG_LEN(2 * sizeof(int));
    int Sent[2] = {Null, FirstBusy};
    memcpy(CMSG_DATA(C), Sent, sizeof(Sent));
    printf("sendmsg of it: %s", result(sendmsg(Pair[0], &Msg, 0)));
    Sent[1] = Null;
    memcpy(CMSG_DATA(C), Sent, sizeof(Sent));
    printf(", of the program's: %s\n", result(sendmsg(Pair[0], &Msg, 0)));
    close(Pair[0]);
    close(Pair[1]);
  }
  for (int Fd = 1000; Fd < 1032; ++Fd)
    if (fcntl(Fd, F_GETFD) >= 0 && close(Fd) != 0)
      printf("close %d: %s\n", Fd, strerrorname_np(errno));
  stillWorks(Dir, "after-busy");
  return 0;
}

int main(int Argc, char **Argv) {
  if (Argc == 3 && strcmp(Argv[1], "child") == 0)
    return child(atoi(Argv[2]));
  if (Argc == 3 && strcmp(Argv[1], "personality") == 0)
    return personality(Argv[2]);
  if (Argc == 3 && strcmp(Argv[1], "inherited") == 0)
    return inherited(atoi(Argv[2]));
  if (Argc == 3 && strcmp(Argv[1], "count") == 0) {
    int Count = openCount() - 1; // not the pipe's end it answers on
    return write(atoi(Argv[2]), &Count, sizeof(Count)) == sizeof(Count) ? 0 : 1;
  }
  if (Argc != 2) {
    fprintf(stderr, "usage: linux-highfds FOLDER | child FD | personality "
                    "FOLDER | inherited FD\n");
    return 2;
  }
  const char *Dir = Argv[1];
  struct rlimit L = {Limit, Limit};
  if (setrlimit(RLIMIT_NOFILE, &L) != 0) {
    perror("setrlimit");
    return 1;
  }
  setvbuf(stdout, NULL, _IONBF, 0);

  // Host files (the file system's /dev/null) past 1000: each closes.
  printf("past 1000: %s\n", openMany("/dev/null", O_RDONLY) ? "yes" : "no");
  int High = Fds[Many - 1];
  printf("write high: %s\n", result(write(High, "x", 1) == -1 ? -1 : 0));
  printf("listed high: %s\n", listed(High) ? "yes" : "no");
  closeMany("host files");
  stillWorks(Dir, "after-closes");

  // dup2 and dup3 onto free numbers from 1000 up, then close them.
  int Null = open("/dev/null", O_WRONLY);
  printf("dup2 1500: %s\n", result(dup2(Null, 1500)));
  printf("write 1500: %s\n", result(write(1500, "x", 1)));
  printf("dup3 1501: %s\n", result(dup3(Null, 1501, O_CLOEXEC)));
  printf("fcntl 1501: %s\n",
         fcntl(1501, F_GETFD) == FD_CLOEXEC ? "cloexec" : "wrong");
  printf("F_DUPFD 1502: %s\n",
         fcntl(Null, F_DUPFD, 1502) == 1502 ? "1502" : "wrong");
  printf("close 1500: %s\n", result(close(1500)));
  printf("close 1501: %s\n", result(close(1501)));
  printf("close 1502: %s\n", result(close(1502)));
  printf("close 1500 again: %s\n", result(close(1500)));

  // Handed on: a fork child closes its copy, an exec'd image keeps one
  // that is not close-on-exec and closes it.
  printf("dup2 1600: %s\n", result(dup2(Null, 1600)));
  pid_t Pid = fork();
  if (Pid == 0) {
    printf("fork child: close %s\n", result(close(1600)));
    _exit(0);
  }
  waitpid(Pid, NULL, 0);
  printf("parent still: %s\n", fcntl(1600, F_GETFD) >= 0 ? "open" : "closed");
  Pid = fork();
  if (Pid == 0) {
    char Self[4096];
    long N = readlink("/proc/self/exe", Self, sizeof(Self) - 1);
    if (N < 0)
      _exit(1);
    Self[N] = 0;
    execl(Self, Self, "child", "1600", (char *)NULL);
    _exit(127);
  }
  int Status = 0;
  waitpid(Pid, &Status, 0);
  printf("exec child: %d\n", WEXITSTATUS(Status));

  // Every descriptor a program holds outlives its exec: none is at the
  // numbers an exec puts its own state at (1007-1009), where the exec's
  // state replaced it. And the descriptors other calls make up there are
  // the program's.
  openMany("/dev/null", O_RDONLY);
  int Before = openCount();
  int After = execCount();
  printf("exec keeps: %s\n", After == Before ? "all" : "not all");
  if (After != Before)
    fprintf(stderr, "exec keeps %d of %d\n", After, Before);
  printf("signalfd: %s\n", kind(signalfdHigh()));
  printf("pty peer: %s\n", kind(ptyPeerHigh()));
  printf("clone pidfd: %s\n", kind(pidfdHigh()));
  closeMany("kept files");

  // close_range over them all: the program's high descriptors close, and
  // the system still answers.
  openMany("/dev/null", O_RDONLY);
  long R = syscall(SYS_close_range, 3, ~0U, 0);
  int Open = 0;
  for (int I = 0; I < Many; ++I)
    if (fcntl(Fds[I], F_GETFD) >= 0)
      ++Open;
  printf("close_range: %s, %d still open\n", result(R), Open);
  stillWorks(Dir, "after-close-range");

  // CLOSE_RANGE_CLOEXEC marks the high ones too.
  openMany("/dev/null", O_RDONLY);
  R = syscall(SYS_close_range, 3, ~0U, 4 /* CLOSE_RANGE_CLOEXEC */);
  int Marked = 0;
  for (int I = 0; I < Many; ++I)
    if (fcntl(Fds[I], F_GETFD) == FD_CLOEXEC)
      ++Marked;
  printf("close_range cloexec: %s, %d of %d marked\n", result(R), Marked, Many);
  closeMany("marked files");
  stillWorks(Dir, "at-end");
  return 0;
}
