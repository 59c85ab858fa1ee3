// seccomp filters a program installs (seccomp.test), run natively and
// under the personality with the same output: verdicts (ERRNO, TRAP with
// its siginfo and the handler's rax, KILL_PROCESS, KILL_THREAD, strict
// mode), precedence among filters, inheritance by fork and exec, a K42
// pipe read and a program exec'd under a sandbox that allows none of the
// personality's own host calls (man-db's, for col), and bad filters.
//
// usage: linux-seccomp DIR (a scratch folder, made)
//        linux-seccomp --after-exec DIR (the exec case's new image)
//        linux-seccomp --after-bare-exec (an exec without LD_PRELOAD)
//        linux-seccomp --setid-exec PROGRAM (a filter, then an exec of a
//          set-user-id copy of this program, as root: seccomp-setid.test)
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

static const char *Dir;
static const char *Self;

#define NR_LOAD                                                                \
  BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))
#define ON(Nr, Action)                                                         \
  BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (Nr), 0, 1),                             \
      BPF_STMT(BPF_RET | BPF_K, (Action))
#define ALLOW BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)

static long install(struct sock_filter *Code, unsigned short Length) {
  struct sock_fprog Program = {Length, Code};
  return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &Program);
}

/// One filter: \p Nr answered by \p Action, every other call allowed.
static void only(int Nr, unsigned Action) {
  struct sock_filter Code[] = {NR_LOAD, ON(Nr, Action), ALLOW};
  if (install(Code, sizeof(Code) / sizeof(Code[0])) != 0) {
    printf("install failed: %s\n", strerror(errno));
    exit(1);
  }
}

static void path(char *Out, const char *Name) {
  snprintf(Out, 4096, "%s/%s", Dir, Name);
}

/// Runs \p Case in a child and says how it ended.
static void inChild(const char *Name, void (*Case)(void)) {
  fflush(stdout);
  pid_t Child = fork();
  if (Child == 0) {
    Case();
    fflush(stdout);
    _exit(0);
  }
  int Status;
  waitpid(Child, &Status, 0);
  if (WIFSIGNALED(Status))
    printf("%s: killed by %s\n", Name, strsignal(WTERMSIG(Status)));
  else
    printf("%s: exit %d\n", Name, WEXITSTATUS(Status));
}

static void errnoCase(void) {
  char File[4096];
  path(File, "f");
  // Writing opens answer EPERM, as man-db's sandbox has them.
  struct sock_filter Code[] = {
      NR_LOAD,
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat, 0, 3),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
               offsetof(struct seccomp_data, args[2])),
      BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, O_WRONLY | O_RDWR, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
      ALLOW};
  if (install(Code, sizeof(Code) / sizeof(Code[0])) != 0)
    printf("install: %s\n", strerror(errno));
  int Fd = open(File, O_RDONLY);
  char Text[64] = {0};
  printf("read open: %s",
         Fd >= 0 && read(Fd, Text, sizeof(Text) - 1) > 0 ? Text : "failed\n");
  close(Fd);
  Fd = open(File, O_WRONLY | O_APPEND);
  printf("write open: %s\n", Fd < 0 ? strerror(errno) : "opened");
  printf("PR_GET_SECCOMP: %d\n", prctl(PR_GET_SECCOMP));
}

static int TrapCode, TrapSyscall, TrapErrno, TrapArch;

static void onSigsys(int Signal, siginfo_t *Info, void *Context) {
  (void)Signal;
  TrapCode = Info->si_code;
  TrapSyscall = Info->si_syscall;
  TrapErrno = Info->si_errno;
  TrapArch = Info->si_arch == AUDIT_ARCH_X86_64;
  ucontext_t *Frame = Context;
  // Linux rolled the call back: rax holds its number.
  if (Frame->uc_mcontext.gregs[REG_RAX] != SYS_uname)
    TrapArch = -1;
  Frame->uc_mcontext.gregs[REG_RAX] = 42;
}

static void trapCase(void) {
  struct sigaction Action;
  memset(&Action, 0, sizeof(Action));
  Action.sa_sigaction = onSigsys;
  Action.sa_flags = SA_SIGINFO;
  sigaction(SIGSYS, &Action, NULL);
  only(SYS_uname, SECCOMP_RET_TRAP | 7);
  struct utsname Name;
  long Result = syscall(SYS_uname, &Name);
  printf("trap: code %d syscall %d errno %d arch %d answer %ld\n", TrapCode,
         TrapSyscall, TrapErrno, TrapArch, Result);
  TrapCode = 0;
  Result = uname(&Name);
  printf("trap again: code %d answer %ld\n", TrapCode, Result);
}

static void killCase(void) {
  only(SYS_getpgid, SECCOMP_RET_KILL_PROCESS);
  printf("before the call\n");
  fflush(stdout);
  getpgid(0);
  printf("after the call\n");
}

static void killThreadCase(void) {
  only(SYS_getpgid, SECCOMP_RET_KILL_THREAD);
  getpgid(0);
  printf("after the call\n");
}

static void trapDefaultCase(void) {
  only(SYS_getpgid, SECCOMP_RET_TRAP);
  getpgid(0);
  printf("after the call\n");
}

static void precedenceCase(void) {
  only(SYS_getsid, SECCOMP_RET_ERRNO | EACCES);
  only(SYS_getsid, SECCOMP_RET_ERRNO | EPERM);
  errno = 0;
  long Result = syscall(SYS_getsid, 0);
  printf("two ERRNOs: %ld %s\n", Result, strerror(errno));
  only(SYS_getpriority, SECCOMP_RET_ERRNO | EPERM);
  only(SYS_getpriority, SECCOMP_RET_TRACE);
  errno = 0;
  Result = syscall(SYS_getpriority, PRIO_PROCESS, 0);
  printf("ERRNO under TRACE: %ld %s\n", Result, strerror(errno));
  only(SYS_getpgid, SECCOMP_RET_TRACE);
  errno = 0;
  Result = syscall(SYS_getpgid, 0);
  printf("TRACE with no tracer: %ld %s\n", Result, strerror(errno));
  only(SYS_getsid, SECCOMP_RET_ERRNO | 5000);
  errno = 0;
  Result = syscall(SYS_getsid, 0);
  printf("errno past 4095: %ld %d\n", Result, errno);
}

static void forkCase(void) {
  only(SYS_uname, SECCOMP_RET_ERRNO | EXDEV);
  fflush(stdout);
  pid_t Child = fork();
  if (Child == 0) {
    struct utsname Name;
    printf("fork child's uname: %s\n",
           uname(&Name) < 0 ? strerror(errno) : "allowed");
    fflush(stdout);
    _exit(0);
  }
  waitpid(Child, NULL, 0);
}

static void execCase(void) {
  only(SYS_uname, SECCOMP_RET_ERRNO | EXDEV);
  execl(Self, Self, "--after-exec", Dir, (char *)NULL);
  printf("exec: %s\n", strerror(errno));
}

static void afterExec(void) {
  struct utsname Name;
  printf("after exec, uname: %s\n",
         uname(&Name) < 0 ? strerror(errno) : "allowed");
  printf("after exec, PR_GET_SECCOMP: %d\n", prctl(PR_GET_SECCOMP));
  char File[4096];
  path(File, "f");
  int Fd = open(File, O_RDONLY);
  char Text[64] = {0};
  printf("after exec, read: %s",
         Fd >= 0 && read(Fd, Text, sizeof(Text) - 1) > 0 ? Text : "failed\n");
}

/// An exec with no LD_PRELOAD: the personality is put back
/// (ExecEnvironment), and the filters with it.
static void bareExecCase(void) {
  only(SYS_uname, SECCOMP_RET_ERRNO | EXDEV);
  char *Env[] = {"PATH=/usr/bin:/bin", NULL};
  execle(Self, Self, "--after-bare-exec", (char *)NULL, Env);
  printf("exec: %s\n", strerror(errno));
}

/// man-db's sandbox in short: every call EPERM but those a data-moving
/// program and its loader need natively. None of the personality's own
/// (futex_waitv, socket, sendmsg, memfd_create) is among them.
static void sandbox(void) {
  static const int Allowed[] = {SYS_read,
                                SYS_write,
                                SYS_close,
                                SYS_fstat,
                                SYS_newfstatat,
                                SYS_lseek,
                                SYS_mmap,
                                SYS_mprotect,
                                SYS_munmap,
                                SYS_brk,
                                SYS_rt_sigaction,
                                SYS_rt_sigprocmask,
                                SYS_rt_sigreturn,
                                SYS_pread64,
                                SYS_access,
                                SYS_execve,
                                SYS_exit,
                                SYS_exit_group,
                                SYS_arch_prctl,
                                SYS_set_tid_address,
                                SYS_set_robust_list,
                                SYS_rseq,
                                SYS_prlimit64,
                                SYS_getrandom,
                                SYS_futex,
                                SYS_fadvise64,
                                SYS_ioctl,
                                SYS_getpid,
                                SYS_gettid,
                                SYS_prctl,
                                SYS_openat,
                                SYS_dup,
                                SYS_dup2,
                                SYS_fcntl,
                                SYS_madvise,
                                SYS_wait4,
                                SYS_clock_gettime,
                                SYS_getuid,
                                SYS_geteuid,
                                SYS_getgid,
                                SYS_getegid,
                                SYS_uname,
                                SYS_statx,
                                SYS_faccessat2,
                                SYS_readlink};
  enum { Count = sizeof(Allowed) / sizeof(Allowed[0]) };
  struct sock_filter Code[2 * Count + 2];
  unsigned N = 0;
  Code[N++] = (struct sock_filter)NR_LOAD;
  for (unsigned I = 0; I < Count; ++I) {
    Code[N++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
                                             Allowed[I], 0, 1);
    Code[N++] = (struct sock_filter)ALLOW;
  }
  Code[N++] =
      (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
  if (install(Code, N) != 0)
    printf("sandbox: %s\n", strerror(errno));
}

/// A pipe whose writer, a child, writes \p Text a moment later (so the
/// reader waits first); its read end, or -1.
static int feedPipe(const char *Text) {
  int Pipe[2];
  if (pipe(Pipe) != 0)
    return -1;
  fflush(stdout);
  if (fork() == 0) {
    close(Pipe[0]);
    usleep(100000);
    write(Pipe[1], Text, strlen(Text));
    _exit(0);
  }
  close(Pipe[1]);
  // A reader that cannot wait dies; it does not hang the test.
  alarm(10);
  return Pipe[0];
}

static void pipeCase(void) {
  int Reader = feedPipe("through the pipe\n");
  if (Reader < 0)
    return;
  sandbox();
  char Text[64] = {0};
  ssize_t Got = read(Reader, Text, sizeof(Text) - 1);
  printf("sandboxed read: %zd %s", Got, Got > 0 ? Text : "\n");
  Got = read(Reader, Text, sizeof(Text) - 1);
  printf("then: %zd\n", Got);
  wait(NULL);
}

static void sandboxedCatCase(void) {
  int Reader = feedPipe("cat read the pipe\n");
  if (Reader < 0)
    return;
  dup2(Reader, 0);
  close(Reader);
  sandbox();
  execl("/bin/cat", "cat", (char *)NULL);
  printf("exec cat: %s\n", strerror(errno));
}

static void strictCase(void) {
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT) != 0) {
    printf("strict: %s\n", strerror(errno));
    return;
  }
  static const char Line[] = "strict: write allowed\n";
  write(1, Line, sizeof(Line) - 1);
  syscall(SYS_getppid);
  write(1, "after getppid\n", 14);
}

/// Says how Linux answered an install that should be refused.
static void refused(const char *What, long Result) {
  printf("%s: %s\n", What, Result < 0 ? strerror(errno) : "taken");
}

static void badFilters(void) {
  struct sock_filter Good[] = {ALLOW};
  struct sock_fprog Empty = {0, Good};
  refused("bad pointer",
          syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, (void *)8));
  refused("empty", syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &Empty));
  struct sock_fprog BadCode = {1, (struct sock_filter *)8};
  refused("bad code pointer",
          syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &BadCode));
  struct sock_filter OutOfRange[] = {
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 5, 0), ALLOW};
  refused("jump out", install(OutOfRange, 2));
  struct sock_filter PastData[] = {BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 64),
                                   ALLOW};
  refused("load past the data", install(PastData, 2));
  struct sock_filter NoReturn[] = {NR_LOAD};
  refused("no return", install(NoReturn, 1));
  struct sock_filter Unstored[] = {BPF_STMT(BPF_LD | BPF_MEM, 3), ALLOW};
  refused("scratch read unstored", install(Unstored, 2));
  struct sock_filter ByteLoad[] = {BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0),
                                   ALLOW};
  refused("byte load", install(ByteLoad, 2));
  struct sock_filter DivZero[] = {BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 0),
                                  ALLOW};
  refused("divide by zero", install(DivZero, 2));
  struct sock_fprog One = {1, Good};
  refused("unknown flag",
          syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 1 << 20, &One));
  refused("bad operation", syscall(SYS_seccomp, 99, 0, NULL));
  refused("bad prctl mode", prctl(PR_SET_SECCOMP, 99));
  unsigned Action = SECCOMP_RET_ERRNO;
  printf("ERRNO available: %s\n",
         syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &Action) == 0
             ? "yes"
             : strerror(errno));
  printf("still unfiltered: %d\n", prctl(PR_GET_SECCOMP));
}

int main(int argc, char **argv) {
  Self = argv[0];
  if (argc == 3 && strcmp(argv[1], "--after-exec") == 0) {
    Dir = argv[2];
    afterExec();
    return 0;
  }
  if (argc == 3 && strcmp(argv[1], "--setid-exec") == 0) {
    // No no_new_privs (it would keep the ids): root may filter itself.
    only(SYS_uname, SECCOMP_RET_ERRNO | EXDEV);
    fflush(stdout);
    execl(argv[2], argv[2], "--after-bare-exec", (char *)NULL);
    printf("exec: %s\n", strerror(errno));
    return 1;
  }
  if (argc == 2 && strcmp(argv[1], "--after-bare-exec") == 0) {
    printf("effective uid changed: %d\n", geteuid() != getuid());
    struct utsname Name;
    printf("bare exec, uname: %s\n",
           uname(&Name) < 0 ? strerror(errno) : "allowed");
    printf("bare exec, PR_GET_SECCOMP: %d\n", prctl(PR_GET_SECCOMP));
    return 0;
  }
  if (argc != 2) {
    fprintf(stderr, "usage: linux-seccomp DIR\n");
    return 2;
  }
  Dir = argv[1];
  mkdir(Dir, 0755);
  // No core files from the cases that die of SIGSYS.
  struct rlimit NoCore = {0, 0};
  setrlimit(RLIMIT_CORE, &NoCore);
  // Linux lets a filter in without CAP_SYS_ADMIN only with no_new_privs.
  prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  char File[4096];
  path(File, "f");
  FILE *F = fopen(File, "w");
  fputs("K42 file\n", F);
  fclose(F);
  badFilters();
  inChild("errno", errnoCase);
  inChild("trap", trapCase);
  inChild("kill", killCase);
  inChild("kill thread", killThreadCase);
  inChild("trap, default action", trapDefaultCase);
  inChild("precedence", precedenceCase);
  inChild("fork", forkCase);
  inChild("exec", execCase);
  inChild("exec without LD_PRELOAD", bareExecCase);
  inChild("sandboxed pipe read", pipeCase);
  inChild("sandboxed cat", sandboxedCatCase);
  inChild("strict", strictCase);
  unlink(File);
  rmdir(Dir);
  return 0;
}
