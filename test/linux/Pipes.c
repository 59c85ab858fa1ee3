// test/linux/Pipes.c: pipes, poll and select made directly (no shell),
// natively and under the personality on a booted system (K42's pipes);
// what it prints must be the same.
//
//   linux-pipes          every case below, one line each
//   linux-pipes --list PROGRAM ARGS...  runs PROGRAM while a pipe holds 5
//                        bytes and only its read end is open
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *err(long R) {
  if (R >= 0)
    return "ok";
  switch (errno) {
  case EBADF:
    return "EBADF";
  case EFAULT:
    return "EFAULT";
  case EINVAL:
    return "EINVAL";
  case EAGAIN:
    return "EAGAIN";
  case EPIPE:
    return "EPIPE";
  case ESPIPE:
    return "ESPIPE";
  case ENODEV:
    return "ENODEV";
  case EINTR:
    return "EINTR";
  case EEXIST:
    return "EEXIST";
  case ENOENT:
    return "ENOENT";
  case ENOTSOCK:
    return "ENOTSOCK";
  default:
    return strerror(errno);
  }
}

static void pause_ms(int Ms) {
  struct timespec T = {Ms / 1000, (Ms % 1000) * 1000000L};
  nanosleep(&T, NULL);
}

static const char *status(int S) {
  static char Text[64];
  if (WIFEXITED(S))
    snprintf(Text, sizeof(Text), "exit %d", WEXITSTATUS(S));
  else if (WIFSIGNALED(S))
    snprintf(Text, sizeof(Text), "signal %d", WTERMSIG(S));
  else
    snprintf(Text, sizeof(Text), "other");
  return Text;
}

static volatile sig_atomic_t Sigpipes;
static void onSigpipe(int Sig) {
  (void)Sig;
  ++Sigpipes;
}

static void *badPointer(void) { return (void *)16; }

static volatile sig_atomic_t Usr1s;
static void onUsr1(int Sig) {
  (void)Sig;
  ++Usr1s;
}

/// Waits until process \p Pid sleeps (state S in /proc/PID/stat).
static void waitSleeping(pid_t Pid) {
  char Path[64], Text[512];
  snprintf(Path, sizeof(Path), "/proc/%d/stat", (int)Pid);
  for (;;) {
    FILE *F = fopen(Path, "r");
    size_t N = F ? fread(Text, 1, sizeof(Text) - 1, F) : 0;
    if (F)
      fclose(F);
    Text[N] = 0;
    char *End = strrchr(Text, ')');
    if (End && End[1] == ' ' && End[2] == 'S')
      return;
    pause_ms(1);
  }
}

static int ClosedWhilePolled[2];
static int ReadWhileClosed[2];

static void *readClosed(void *Unused) {
  (void)Unused;
  char Got[8] = {0};
  ssize_t N = read(ReadWhileClosed[0], Got, sizeof(Got) - 1);
  printf("the read under way got %zd '%s'\n", N, N > 0 ? Got : "");
  return NULL;
}

static void *pollClosed(void *Unused) {
  (void)Unused;
  struct pollfd P = {ClosedWhilePolled[0], POLLIN, 0};
  // Long enough for any machine: a poll the close did not wake ends with
  // 0 at its timeout, which the comparison shows.
  int N = poll(&P, 1, 20000);
  printf("poll of a descriptor closed meanwhile %d revents %#x\n", N,
         P.revents);
  return NULL;
}

int main(int Argc, char **Argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  int P[2];
  if (Argc >= 3 && strcmp(Argv[1], "--list") == 0) {
    // A pipe holding 5 bytes whose write end is closed, while PROGRAM
    // (k42-pipe list) runs with the read end still open here.
    if (pipe(P) != 0 || write(P[1], "held\n", 5) != 5)
      return 1;
    close(P[1]);
    pid_t Child = fork();
    if (Child == 0) {
      close(P[0]);
      execv(Argv[2], Argv + 2);
      _exit(127);
    }
    int St;
    waitpid(Child, &St, 0);
    char Back[8] = {0};
    printf("read back %zd '%.4s' %s\n", read(P[0], Back, sizeof(Back)), Back,
           status(St));
    return 0;
  }
  if (Argc == 3 && strcmp(Argv[1], "--write-fd") == 0) {
    // One byte to descriptor N (SIGPIPE ignored): what an exec'd program
    // sees of a pipe whose last reader its parent image closed.
    signal(SIGPIPE, SIG_IGN);
    printf("exec'd writer %s\n", err(write(atoi(Argv[2]), "x", 1)));
    return 0;
  }
  // The two lowest free numbers, read end first.
  printf("pipe %s\n", err(pipe(P)));
  printf("numbers %d %d\n", P[0], P[1]);
  struct stat S;
  const char *E = err(fstat(P[0], &S));
  printf("fstat %s fifo %d\n", E, S_ISFIFO(S.st_mode));
  printf("lseek %s\n", err(lseek(P[0], 0, SEEK_CUR)));
  // Socket calls on a pipe: ENOTSOCK (under the personality they reached
  // the end's placeholder, a host socket: getsockopt answered, and a send
  // went into it).
  {
    int Type = 0;
    socklen_t Length = sizeof(Type);
    struct sockaddr_storage Name;
    socklen_t NameLength = sizeof(Name);
    printf("getsockopt %s",
           err(getsockopt(P[0], SOL_SOCKET, SO_TYPE, &Type, &Length)));
    printf(", send %s", err(send(P[1], "x", 1, 0)));
    char One;
    printf(", recv %s", err(recv(P[0], &One, 1, MSG_DONTWAIT)));
    printf(", getsockname %s",
           err(getsockname(P[0], (struct sockaddr *)&Name, &NameLength)));
    printf(", shutdown %s", err(shutdown(P[1], SHUT_WR)));
    printf(", listen %s\n", err(listen(P[0], 1)));
  }
  char Buf[65536];
  printf("pread %s\n", err(pread(P[0], Buf, 1, 0)));
  printf("pwrite %s\n", err(pwrite(P[1], "x", 1, 0)));
  void *Map = mmap(NULL, 4096, PROT_READ, MAP_SHARED, P[0], 0);
  printf("mmap %s\n", Map == MAP_FAILED ? err(-1) : "mapped");
  printf("read write end %s\n", err(read(P[1], Buf, 1)));
  printf("write read end %s\n", err(write(P[0], "x", 1)));
  printf("getfl %s\n", (fcntl(P[0], F_GETFL) & O_ACCMODE) == O_RDONLY &&
                               (fcntl(P[1], F_GETFL) & O_ACCMODE) == O_WRONLY
                           ? "rdonly wronly"
                           : "wrong");
  printf("pipe size %d\n", fcntl(P[0], F_GETPIPE_SZ));
  // F_SETPIPE_SZ as Linux takes it: an unsigned int, rounded up to a power
  // of two pages; past 2^31 EINVAL (sizes past pipe-max-size depend on the
  // caller's CAP_SYS_RESOURCE: not compared here).
  const struct {
    const char *What;
    long Arg;
  } Sizes[] = {{"8192", 8192},
               {"1", 1},
               {"2^31+1", (1L << 31) + 1},
               {"-1", -1},
               {"2^32+8192", (1L << 32) + 8192},
               {"65536", 65536}};
  for (unsigned I = 0; I < sizeof(Sizes) / sizeof(Sizes[0]); ++I) {
    long R = fcntl(P[1], F_SETPIPE_SZ, Sizes[I].Arg);
    printf("set %s: %s %ld\n", Sizes[I].What, err(R), R < 0 ? 0 : R);
  }
  printf("write %zd\n", write(P[1], "hello pipe", 10));
  int Avail = -1;
  E = err(ioctl(P[0], FIONREAD, &Avail));
  printf("fionread %s %d\n", E, Avail);
  memset(Buf, 0, 16);
  ssize_t N = read(P[0], Buf, 5);
  printf("partial read %zd '%s'\n", N, Buf);
  memset(Buf, 0, 16);
  N = read(P[0], Buf, sizeof(Buf));
  printf("rest %zd '%s'\n", N, Buf);
  printf("read zero %zd\n", read(P[0], Buf, 0));
  // vmsplice: user pages into the write end, the read end's bytes out.
  struct iovec Gift[2] = {{"vm", 2}, {"splice", 6}};
  ssize_t Given = vmsplice(P[1], Gift, 2, 0);
  char Front[4] = {0}, Back[8] = {0};
  struct iovec Take[2] = {{Front, 3}, {Back, 5}};
  printf("vmsplice %zd, back %zd '%s' '%s'\n", Given,
         vmsplice(P[0], Take, 2, 0), Front, Back);
  // tee: the bytes copied into another pipe, none taken.
  int Q[2];
  if (pipe(Q) == 0) {
    ssize_t Put = write(P[1], "teed", 4);
    ssize_t Teed = tee(P[0], Q[1], 100, 0);
    char Copy[8] = {0}, Kept[8] = {0};
    // Read only what tee said it copied: an empty pipe's read would wait.
    ssize_t C = Teed > 0 ? read(Q[0], Copy, sizeof(Copy) - 1) : 0;
    ssize_t K = read(P[0], Kept, sizeof(Kept) - 1);
    printf("tee %zd of %zd: copy %zd '%s', kept %zd '%s'\n", Teed, Put, C, Copy,
           K, Kept);
    printf("tee empty nonblocking %s, same pipe %s\n",
           err(tee(P[0], Q[1], 4, SPLICE_F_NONBLOCK)),
           err(tee(Q[0], Q[1], 4, 0)));
    close(Q[0]);
    close(Q[1]);
  }
  N = write(P[1], "abc", 3);
  printf("read bad pointer: write %zd, read %s\n", N,
         err(read(P[0], badPointer(), 3)));
  printf("write bad pointer %s\n", err(write(P[1], badPointer(), 3)));
  printf("drain %zd\n", read(P[0], Buf, sizeof(Buf)));
  // readv and writev.
  struct iovec V[2] = {{"ab", 2}, {"cde", 3}};
  printf("writev %zd\n", writev(P[1], V, 2));
  char A[3] = {0}, B[8] = {0};
  struct iovec R[2] = {{A, 2}, {B, 7}};
  N = readv(P[0], R, 2);
  printf("readv %zd '%s' '%s'\n", N, A, B);

  // A blocking read woken by a write from another process.
  pid_t Child = fork();
  if (Child == 0) {
    pause_ms(100);
    (void)!write(P[1], "ping", 4);
    _exit(0);
  }
  memset(Buf, 0, 8);
  N = read(P[0], Buf, 8);
  printf("blocking read %zd '%s'\n", N, Buf);
  int St;
  waitpid(Child, &St, 0);
  // EOF: the last writer is a fork child that exits without touching it.
  Child = fork();
  if (Child == 0)
    _exit(0);
  close(P[1]);
  printf("eof after child exit %zd\n", read(P[0], Buf, 8));
  waitpid(Child, &St, 0);
  close(P[0]);

  // A writer killed by SIGKILL while the reader waits.
  pipe(P);
  pid_t Writer = fork();
  if (Writer == 0) {
    close(P[0]);
    for (;;)
      pause();
  }
  close(P[1]);
  pid_t Killer = fork();
  if (Killer == 0) {
    pause_ms(100);
    kill(Writer, SIGKILL);
    _exit(0);
  }
  printf("eof after SIGKILL %zd\n", read(P[0], Buf, 8));
  waitpid(Writer, &St, 0);
  printf("writer %s\n", status(St));
  waitpid(Killer, &St, 0);
  close(P[0]);

  // No reader: SIGPIPE, then EPIPE.
  pipe(P);
  close(P[0]);
  signal(SIGPIPE, onSigpipe);
  E = err(write(P[1], "x", 1));
  printf("write no reader %s sigpipe %d\n", E, (int)Sigpipes);
  signal(SIGPIPE, SIG_DFL);
  Child = fork();
  if (Child == 0) {
    (void)!write(P[1], "x", 1);
    _exit(0);
  }
  waitpid(Child, &St, 0);
  printf("child writing with no reader: %s\n", status(St));
  close(P[1]);
  // A reader closed in another process wakes a blocked writer.
  pipe(P);
  fcntl(P[1], F_SETFL, O_NONBLOCK);
  size_t Filled = 0;
  memset(Buf, 'f', sizeof(Buf));
  while ((N = write(P[1], Buf, 4096)) > 0)
    Filled += (size_t)N;
  printf("nonblocking fill %zu then %s\n", Filled, err(N));
  fcntl(P[1], F_SETFL, 0);
  Child = fork();
  if (Child == 0) {
    pause_ms(100);
    close(P[0]);
    _exit(0);
  }
  close(P[0]);
  signal(SIGPIPE, SIG_IGN);
  printf("blocked writer after reader closes %s\n",
         err(write(P[1], Buf, 4096)));
  signal(SIGPIPE, SIG_DFL);
  waitpid(Child, &St, 0);
  close(P[1]);

  // A signal while blocked: EINTR without SA_RESTART, the read goes on
  // with it.
  struct sigaction Sa;
  memset(&Sa, 0, sizeof(Sa));
  Sa.sa_handler = onUsr1;
  sigaction(SIGUSR1, &Sa, NULL);
  pipe(P);
  Child = fork();
  if (Child == 0) {
    waitSleeping(getppid());
    kill(getppid(), SIGUSR1);
    _exit(0);
  }
  E = err(read(P[0], Buf, 8));
  printf("read interrupted %s handler ran %d\n", E, (int)Usr1s);
  waitpid(Child, &St, 0);
  Sa.sa_flags = SA_RESTART;
  sigaction(SIGUSR1, &Sa, NULL);
  Child = fork();
  if (Child == 0) {
    waitSleeping(getppid());
    kill(getppid(), SIGUSR1);
    waitSleeping(getppid());
    (void)!write(P[1], "after", 5);
    _exit(0);
  }
  memset(Buf, 0, 8);
  N = read(P[0], Buf, 8);
  printf("read restarted %zd '%s' handler ran %d\n", N, Buf, (int)Usr1s);
  waitpid(Child, &St, 0);
  signal(SIGUSR1, SIG_DFL);
  close(P[0]);
  close(P[1]);

  // select's time left after a signal 0.2 s into a 2 s wait, what a loop
  // retrying on EINTR goes on with: the personality wrote back the time
  // left before its sleep, so such a loop never timed out (battery 45).
  Sa.sa_flags = 0;
  sigaction(SIGUSR1, &Sa, NULL);
  pipe(P);
  Child = fork();
  if (Child == 0) {
    waitSleeping(getppid());
    usleep(200000);
    kill(getppid(), SIGUSR1);
    _exit(0);
  }
  {
    fd_set Readable;
    FD_ZERO(&Readable);
    FD_SET(P[0], &Readable);
    struct timeval Left = {2, 0};
    E = err(select(P[0] + 1, &Readable, NULL, NULL, &Left));
    printf("select interrupted %s, time left below 1.9 s %d\n", E,
           Left.tv_sec == 0 || (Left.tv_sec == 1 && Left.tv_usec < 900000));
  }
  waitpid(Child, &St, 0);
  signal(SIGUSR1, SIG_DFL);
  close(P[0]);
  close(P[1]);

  // A write of more than the pipe holds, whose wait for room a handler
  // with SA_RESTART interrupts: the bytes written so far, as on Linux
  // (SA_RESTART restarts a call that moved nothing); the personality's
  // write went on to the full count (battery 45). The reader drains the
  // pipe half a second after the signal.
  Sa.sa_flags = SA_RESTART;
  sigaction(SIGUSR1, &Sa, NULL);
  pipe(P);
  Child = fork();
  if (Child == 0) {
    close(P[1]);
    waitSleeping(getppid());
    kill(getppid(), SIGUSR1);
    usleep(500000);
    size_t Total = 0;
    ssize_t Got;
    static char Sink[65536];
    while ((Got = read(P[0], Sink, sizeof(Sink))) > 0)
      Total += (size_t)Got;
    printf("restarted write's reader got %zu\n", Total);
    _exit(0);
  }
  {
    static char Big[100000];
    ssize_t Wrote = write(P[1], Big, sizeof(Big));
    printf("write with a SA_RESTART handler under way %zd\n", Wrote);
    fflush(stdout);
  }
  close(P[1]);
  close(P[0]);
  waitpid(Child, &St, 0);

  // poll, select and epoll_wait on an empty pipe, interrupted by a
  // handler with SA_RESTART (signal()'s): EINTR, as Linux never restarts
  // them; the personality's futex wait was restarted by the host, and the
  // call slept on to its timeout (battery 45).
  pipe(P);
  for (int Which = 0; Which < 3; ++Which) {
    Child = fork();
    if (Child == 0) {
      waitSleeping(getppid());
      kill(getppid(), SIGUSR1);
      _exit(0);
    }
    long Got;
    const char *Name;
    if (Which == 0) {
      struct pollfd Polled = {P[0], POLLIN, 0};
      Name = "poll";
      Got = poll(&Polled, 1, 5000);
    } else if (Which == 1) {
      fd_set Readable;
      FD_ZERO(&Readable);
      FD_SET(P[0], &Readable);
      struct timeval Five = {5, 0};
      Name = "select";
      Got = select(P[0] + 1, &Readable, NULL, NULL, &Five);
    } else {
      int Ep = epoll_create1(EPOLL_CLOEXEC);
      struct epoll_event Event = {EPOLLIN, {0}};
      epoll_ctl(Ep, EPOLL_CTL_ADD, P[0], &Event);
      Name = "epoll_wait";
      Got = epoll_wait(Ep, &Event, 1, 5000);
      close(Ep);
    }
    printf("%s with a SA_RESTART handler %s\n", Name, err(Got));
    waitpid(Child, &St, 0);
  }
  close(P[0]);
  close(P[1]);
  signal(SIGUSR1, SIG_DFL);

  // O_NONBLOCK and O_CLOEXEC from pipe2.
  printf("pipe2 %s\n", err(pipe2(P, O_NONBLOCK | O_CLOEXEC)));
  printf("flags nonblock %d cloexec %d\n",
         (fcntl(P[0], F_GETFL) & O_NONBLOCK) != 0,
         (fcntl(P[0], F_GETFD) & FD_CLOEXEC) != 0);
  printf("empty nonblocking read %s\n", err(read(P[0], Buf, 1)));
  printf("pipe2 bad flags %s\n", err(pipe2(P + 0, 0x7fff0000)));
  close(P[0]);
  close(P[1]);
  printf("pipe bad pointer %s\n", err(pipe(badPointer())));

  // PIPE_BUF: writes of 4096 bytes from four processes never interleave.
  pipe(P);
  for (int W = 0; W < 4; ++W)
    if (fork() == 0) {
      char Record[4096];
      memset(Record, 'a' + W, sizeof(Record));
      for (int I = 0; I < 200; ++I)
        if (write(P[1], Record, sizeof(Record)) != sizeof(Record))
          _exit(1);
      _exit(0);
    }
  close(P[1]);
  static char All[4 * 200 * 4096];
  size_t Have = 0;
  while ((N = read(P[0], All + Have, sizeof(All) - Have)) > 0)
    Have += (size_t)N;
  int Mixed = 0, Counts[4] = {0};
  for (size_t At = 0; At + 4096 <= Have; At += 4096) {
    for (size_t I = 1; I < 4096; ++I)
      Mixed |= All[At + I] != All[At];
    if (All[At] >= 'a' && All[At] <= 'd')
      ++Counts[All[At] - 'a'];
  }
  while (wait(&St) > 0)
    ;
  printf("atomic writes: %zu bytes, interleaved %d, %d %d %d %d\n", Have, Mixed,
         Counts[0], Counts[1], Counts[2], Counts[3]);
  close(P[0]);

  // poll: a timeout, data, hang-up.
  pipe(P);
  struct pollfd Pf[2] = {{P[0], POLLIN, 0}, {P[1], POLLOUT, 0}};
  int K = poll(Pf, 1, 50);
  printf("poll empty %d revents %x\n", K, Pf[0].revents);
  K = poll(Pf, 2, 50);
  printf("poll both %d revents %x %x\n", K, Pf[0].revents, Pf[1].revents);
  (void)!write(P[1], "x", 1);
  K = poll(Pf, 1, -1);
  printf("poll data %d revents %x\n", K, Pf[0].revents);
  Child = fork();
  if (Child == 0) {
    pause_ms(100);
    (void)!write(P[1], "y", 1);
    _exit(0);
  }
  (void)!read(P[0], Buf, 1);
  K = poll(Pf, 1, 5000);
  printf("poll woken %d revents %x\n", K, Pf[0].revents);
  waitpid(Child, &St, 0);
  close(P[1]);
  K = poll(Pf, 1, 0);
  printf("poll hangup %d revents %x\n", K, Pf[0].revents);
  (void)!read(P[0], Buf, 1);
  K = poll(Pf, 1, 0);
  printf("poll hangup drained %d revents %x\n", K, Pf[0].revents);
  close(P[0]);
  printf("poll bad pointer %s\n", err(poll(badPointer(), 1, 0)));
  printf("poll too many %s\n", err(poll(Pf, 1u << 30, 0)));
  pipe(P);
  close(P[0]);
  Pf[1].fd = P[1];
  K = poll(&Pf[1], 1, 0);
  printf("poll no reader %d revents %x\n", K, Pf[1].revents);
  close(P[1]);

  // select over a host socket pair, /dev/null and a K42 pipe.
  int Sv[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, Sv);
  int Null = open("/dev/null", O_WRONLY);
  pipe(P);
  int Max = Sv[0] > P[0] ? Sv[0] : P[0];
  Max = Max > Null ? Max : Null;
  fd_set Rd, Wr;
  struct timeval Tv = {0, 100000};
  FD_ZERO(&Rd);
  FD_SET(Sv[0], &Rd);
  FD_SET(P[0], &Rd);
  K = select(Max + 1, &Rd, NULL, NULL, &Tv);
  printf("select nothing %d left %ld.%06ld\n", K, (long)Tv.tv_sec,
         (long)Tv.tv_usec);
  (void)!write(Sv[1], "s", 1);
  FD_ZERO(&Rd);
  FD_SET(Sv[0], &Rd);
  FD_SET(P[0], &Rd);
  FD_ZERO(&Wr);
  FD_SET(Null, &Wr);
  K = select(Max + 1, &Rd, &Wr, NULL, NULL);
  printf("select host %d socket %d pipe %d null %d\n", K, FD_ISSET(Sv[0], &Rd),
         FD_ISSET(P[0], &Rd), FD_ISSET(Null, &Wr));
  (void)!write(P[1], "p", 1);
  FD_ZERO(&Rd);
  FD_SET(Sv[0], &Rd);
  FD_SET(P[0], &Rd);
  K = select(Max + 1, &Rd, NULL, NULL, NULL);
  printf("select both %d socket %d pipe %d\n", K, FD_ISSET(Sv[0], &Rd),
         FD_ISSET(P[0], &Rd));
  (void)!read(Sv[0], Buf, 1);
  (void)!read(P[0], Buf, 1);
  // Blocked on a mixed set, woken by a write to the pipe.
  Child = fork();
  if (Child == 0) {
    pause_ms(100);
    (void)!write(P[1], "q", 1);
    _exit(0);
  }
  FD_ZERO(&Rd);
  FD_SET(Sv[0], &Rd);
  FD_SET(P[0], &Rd);
  Tv.tv_sec = 5;
  Tv.tv_usec = 0;
  K = select(Max + 1, &Rd, NULL, NULL, &Tv);
  printf("select woken %d socket %d pipe %d\n", K, FD_ISSET(Sv[0], &Rd),
         FD_ISSET(P[0], &Rd));
  waitpid(Child, &St, 0);
  (void)!read(P[0], Buf, 1);
  // Only the pipe: woken by a write.
  Child = fork();
  if (Child == 0) {
    pause_ms(100);
    (void)!write(P[1], "r", 1);
    _exit(0);
  }
  FD_ZERO(&Rd);
  FD_SET(P[0], &Rd);
  printf("select pipe only %d\n", select(P[0] + 1, &Rd, NULL, NULL, NULL));
  waitpid(Child, &St, 0);
  printf("select bad set %s\n",
         err(select(Max + 1, badPointer(), NULL, NULL, NULL)));
  FD_ZERO(&Rd);
  FD_SET(P[0], &Rd);
  FD_SET(Max + 5, &Rd);
  Tv.tv_sec = 0;
  printf("select closed descriptor %s\n",
         err(select(Max + 6, &Rd, NULL, NULL, &Tv)));
  Tv.tv_usec = -1;
  FD_ZERO(&Rd);
  FD_SET(P[0], &Rd);
  printf("select bad timeout %s\n", err(select(Max + 1, &Rd, NULL, NULL, &Tv)));
  struct timespec Ts = {0, 20000000};
  Pf[0].fd = P[0];
  Pf[0].events = POLLIN;
  (void)!read(P[0], Buf, 1);
  K = ppoll(Pf, 1, &Ts, NULL);
  printf("ppoll %d left zero %d\n", K, Ts.tv_sec == 0 && Ts.tv_nsec == 0);
  close(Sv[0]);
  close(Sv[1]);
  close(Null);

  // epoll over a K42 pipe and a host socket pair.
  {
    int Ep = epoll_create1(EPOLL_CLOEXEC);
    int Sp[2], Q[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, Sp);
    pipe(Q);
    struct epoll_event Ev = {EPOLLIN, {.u64 = 42}}, Out[4];
    printf("epoll add pipe %s\n", err(epoll_ctl(Ep, EPOLL_CTL_ADD, Q[0], &Ev)));
    printf("epoll add again %s\n",
           err(epoll_ctl(Ep, EPOLL_CTL_ADD, Q[0], &Ev)));
    Ev.data.u64 = 7;
    printf("epoll add socket %s\n",
           err(epoll_ctl(Ep, EPOLL_CTL_ADD, Sp[0], &Ev)));
    K = epoll_wait(Ep, Out, 4, 50);
    printf("epoll nothing %d\n", K);
    (void)!write(Q[1], "e", 1);
    K = epoll_wait(Ep, Out, 4, -1);
    printf("epoll pipe %d data %d events %x\n", K, (int)Out[0].data.u64,
           Out[0].events);
    (void)!write(Sp[1], "s", 1);
    K = epoll_wait(Ep, Out, 4, -1);
    int Sum = 0;
    for (int I = 0; I < K; ++I)
      Sum += (int)Out[I].data.u64;
    printf("epoll both %d data sum %d\n", K, Sum);
    (void)!read(Q[0], Buf, 1);
    (void)!read(Sp[0], Buf, 1);
    Child = fork();
    if (Child == 0) {
      pause_ms(100);
      (void)!write(Q[1], "w", 1);
      _exit(0);
    }
    K = epoll_wait(Ep, Out, 4, 5000);
    printf("epoll woken %d data %d\n", K, (int)Out[0].data.u64);
    waitpid(Child, &St, 0);
    printf("epoll bad events %s\n", err(epoll_wait(Ep, badPointer(), 4, 0)));
    (void)!read(Q[0], Buf, 1);
    printf("epoll bad maxevents %s\n", err(epoll_wait(Ep, Out, 0, 0)));
    printf("epoll ctl bad epfd %s\n",
           err(epoll_ctl(Q[1], EPOLL_CTL_ADD, Q[0], &Ev)));
    printf("epoll del %s\n", err(epoll_ctl(Ep, EPOLL_CTL_DEL, Q[0], NULL)));
    printf("epoll del again %s\n",
           err(epoll_ctl(Ep, EPOLL_CTL_DEL, Q[0], NULL)));
    Ev.events = EPOLLOUT;
    Ev.data.u64 = 9;
    epoll_ctl(Ep, EPOLL_CTL_DEL, Sp[0], NULL);
    epoll_ctl(Ep, EPOLL_CTL_ADD, Q[1], &Ev);
    close(Q[0]);
    K = epoll_wait(Ep, Out, 4, 0);
    printf("epoll write end, reader gone %d data %d events %x\n", K,
           (int)Out[0].data.u64, Out[0].events);
    close(Q[1]);
    close(Sp[0]);
    close(Sp[1]);
    close(Ep);
  }

  // dup: the end lives while any copy does.
  int D = dup(P[1]);
  close(P[1]);
  N = write(D, "d", 1);
  printf("write through dup %zd\n", N);
  int D2 = fcntl(D, F_DUPFD_CLOEXEC, 0);
  close(D);
  printf("read %zd\n", read(P[0], Buf, 8));
  dup2(P[0], 40);
  close(D2);
  printf("eof after last dup closed %zd\n", read(40, Buf, 8));
  close(40);
  close(P[0]);

  // Across exec: a program writing to the pipe as its stdout.
  pipe(P);
  Child = fork();
  if (Child == 0) {
    dup2(P[1], 1);
    close(P[0]);
    close(P[1]);
    execl("/bin/echo", "echo", "from exec", (char *)NULL);
    _exit(127);
  }
  close(P[1]);
  Have = 0;
  while ((N = read(P[0], Buf + Have, 64)) > 0)
    Have += (size_t)N;
  Buf[Have] = 0;
  waitpid(Child, &St, 0);
  printf("exec wrote %zu '%.9s' %s\n", Have, Buf, status(St));
  close(P[0]);

  // A process's own close shows at once in what it sees next, where that
  // cannot wait for the pipe server: a nonblocking read (EOF, not EAGAIN),
  // poll with no timeout (POLLHUP), a write (EPIPE) in this image and in
  // the next one.
  pipe(P);
  fcntl(P[0], F_SETFL, O_NONBLOCK);
  close(P[1]);
  printf("own close, nonblocking read %zd\n", read(P[0], Buf, 8));
  close(P[0]);
  pipe(P);
  close(P[1]);
  struct pollfd Own = {P[0], POLLIN, 0};
  printf("own close, poll %d revents %#x\n", poll(&Own, 1, 0), Own.revents);
  close(P[0]);
  Child = fork();
  if (Child == 0) {
    // The pipe is the child's alone: its close leaves no reader.
    char Fd[16];
    pipe(P);
    snprintf(Fd, sizeof(Fd), "%d", P[1]);
    close(P[0]);
    execl(Argv[0], Argv[0], "--write-fd", Fd, (char *)NULL);
    _exit(127);
  }
  waitpid(Child, &St, 0);
  printf("exec'd writer %s\n", status(St));

  // A poll in another thread, woken by this thread's close of the read
  // end it waits on: POLLNVAL (battery 39: it slept out its timeout).
  pipe(ClosedWhilePolled);
  pthread_t Poller;
  pthread_create(&Poller, NULL, pollClosed, NULL);
  pause_ms(200);
  close(ClosedWhilePolled[0]);
  pthread_join(Poller, NULL);
  close(ClosedWhilePolled[1]);

  // A read under way keeps the pipe's read end, as Linux keeps the file
  // for it: closed (or replaced by dup2) by another thread, a write still
  // has a reader and the blocked read gets its bytes (before, the write
  // was EPIPE and the read waited for ever: battery 41).
  for (int Dup2 = 0; Dup2 < 2; ++Dup2) {
    if (pipe(ReadWhileClosed) != 0)
      return 1;
    pthread_t Reader;
    pthread_create(&Reader, NULL, readClosed, NULL);
    pause_ms(200);
    int Null = open("/dev/null", O_RDONLY);
    if (Dup2)
      dup2(Null, ReadWhileClosed[0]);
    else
      close(ReadWhileClosed[0]);
    pause_ms(100); // the pipe server has heard of the close by now
    ssize_t Wrote = write(ReadWhileClosed[1], "kept", 4);
    // Long enough for any machine; a read still waiting then is ended by
    // the writer's close, and the comparison shows it.
    struct timespec Until;
    clock_gettime(CLOCK_REALTIME, &Until);
    Until.tv_sec += 20;
    if (pthread_timedjoin_np(Reader, NULL, &Until) != 0) {
      printf("the read still waits\n");
      close(ReadWhileClosed[1]);
      pthread_join(Reader, NULL);
      ReadWhileClosed[1] = open("/dev/null", O_WRONLY);
    }
    printf("%s the read end under a read: write %zd\n",
           Dup2 ? "dup2 over" : "close", Wrote);
    close(ReadWhileClosed[1]);
    if (Dup2)
      close(ReadWhileClosed[0]);
    close(Null);
  }
  printf("done\n");
  return 0;
}
