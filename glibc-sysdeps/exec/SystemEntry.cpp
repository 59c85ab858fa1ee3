//===- glibc-sysdeps/exec/SystemEntry.cpp - Into a system's pids ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "SystemEntry.h"

#include "k42/kernel/KernelLink.h"

#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstring>

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

namespace k42::personality {
namespace {

/// The child the outside parent passes signals on to.
volatile pid_t Inside = 0;
/// Whether the child leads a session and group of its own (no terminal):
/// a signal passed on reaches its group, the processes it started too, as
/// a signal to its caller's group (`timeout`, a harness's kill of its job)
/// would reach them natively, where they share the caller's group.
volatile bool ToGroup = false;

/// Signals sent to the parent with kill are the program's; those the
/// terminal sends (SIGINT, SIGQUIT, SIGTSTP, SIGWINCH) reach the child
/// itself, in the same process group, and are not passed twice.
void passOn(int Signal, siginfo_t *Info, void *) {
  bool FromTerminal = Info && Info->si_code == SI_KERNEL;
  bool TerminalSignal = Signal == SIGINT || Signal == SIGQUIT ||
                        Signal == SIGTSTP || Signal == SIGWINCH;
  if (Inside > 0 && !(TerminalSignal && FromTerminal)) {
    int Saved = errno;
    // Before its setsid the group is not there yet: the child alone.
    if (!ToGroup || kill(-Inside, Signal) != 0)
      kill(Inside, Signal);
    errno = Saved;
  }
}

/// The pid of the kernel listening at \p SocketPath, as this process's pid
/// namespace names it; 0 if there is no kernel there (or it is outside).
pid_t kernelPid(const char *SocketPath) {
  // socketAddress, as every other client: a path longer than sun_path (a
  // deep build folder) is reached through its directory.
  sockaddr_un Address;
  int DirFd;
  if (!kernel::socketAddress(SocketPath, Address, DirFd))
    return 0;
  int Fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
  ucred Cred{};
  socklen_t Len = sizeof(Cred);
  bool Ok = Fd >= 0 &&
            connect(Fd, reinterpret_cast<sockaddr *>(&Address),
                    sizeof(Address)) == 0 &&
            getsockopt(Fd, SOL_SOCKET, SO_PEERCRED, &Cred, &Len) == 0;
  if (Fd >= 0)
    close(Fd);
  if (DirFd >= 0)
    close(DirFd);
  return Ok ? Cred.pid : 0;
}

/// Whether process \p Pid is in the pid namespace of process \p Other (0:
/// this one).
bool sameNamespace(pid_t Pid, pid_t Other = 0) {
  char Path[64], OtherPath[64];
  std::snprintf(Path, sizeof(Path), "/proc/%d/ns/pid", int(Pid));
  if (Other > 0)
    std::snprintf(OtherPath, sizeof(OtherPath), "/proc/%d/ns/pid", int(Other));
  else
    std::snprintf(OtherPath, sizeof(OtherPath), "/proc/self/ns/pid");
  struct stat Theirs, Mine;
  if (stat(Path, &Theirs) != 0 || stat(OtherPath, &Mine) != 0)
    return true; // Nothing to tell them apart by: as before namespaces.
  return Theirs.st_dev == Mine.st_dev && Theirs.st_ino == Mine.st_ino;
}

/// The signals the parent passes on.
constexpr int Passed[] = {SIGTERM, SIGHUP,  SIGUSR1, SIGUSR2, SIGQUIT,
                          SIGINT,  SIGTSTP, SIGALRM, SIGCONT, SIGWINCH};

/// The terminal (descriptor 0, 1 or 2) whose foreground is this
/// process's group, when this process leads that group (a shell's job of
/// its own); -1 otherwise. A process in its caller's group (a command of a
/// script) stays there: the terminal's signals must reach the script too
/// (C-c ends both, as natively).
int foregroundTerminal() {
  pid_t Group = getpgrp();
  if (Group != getpid())
    return -1;
  for (int Fd = 0; Fd < 3; ++Fd)
    if (isatty(Fd) && tcgetpgrp(Fd) == Group)
      return Fd;
  return -1;
}

/// Makes \p Group the foreground of terminal \p Fd, with SIGTTOU held
/// back: a process outside the foreground may hand it on only so.
void giveTerminal(int Fd, pid_t Group) {
  sigset_t Ttou, Old;
  sigemptyset(&Ttou);
  sigaddset(&Ttou, SIGTTOU);
  sigprocmask(SIG_BLOCK, &Ttou, &Old);
  (void)tcsetpgrp(Fd, Group);
  sigprocmask(SIG_SETMASK, &Old, nullptr);
}

/// After the child ended: terminal \p Tty back to this process's group,
/// if its foreground is still the child's (or a group inside the system,
/// \p Kernel's namespace, that the child made, or one that is gone), not a
/// job the shell outside has put there since.
void takeTerminalBack(int Tty, pid_t Child, pid_t Kernel) {
  pid_t Front = tcgetpgrp(Tty);
  if (Front <= 0 || Front == getpgrp())
    return;
  char Path[64];
  std::snprintf(Path, sizeof(Path), "/proc/%d", int(Front));
  struct stat Info;
  bool Gone = stat(Path, &Info) != 0;
  if (Front == Child || Gone || sameNamespace(Front, Kernel))
    giveTerminal(Tty, getpgrp());
}

/// The parent's life outside: waits for \p Child and passes signals on,
/// those that arrived since the fork (blocked until now) too. \p Tty: the
/// terminal the child's group has in the foreground, or -1.
int waitOutside(pid_t Child, const sigset_t &Before, int Tty, pid_t Kernel) {
  Inside = Child;
  struct sigaction Pass {};
  Pass.sa_sigaction = passOn;
  Pass.sa_flags = SA_SIGINFO | SA_RESTART;
  for (int S : Passed)
    sigaction(S, &Pass, nullptr);
  sigprocmask(SIG_SETMASK, &Before, nullptr);
  for (;;) {
    int Status = 0;
    if (waitpid(Child, &Status, WUNTRACED) < 0) {
      if (errno == EINTR)
        continue;
      return 1;
    }
    if (WIFSTOPPED(Status)) {
      // A stop from the terminal: the shell's job is this process, so it
      // stops too, and whoever continues it continues the program.
      int Why = WSTOPSIG(Status);
      if (Why == SIGTSTP || Why == SIGTTIN || Why == SIGTTOU) {
        raise(SIGSTOP);
        // Continued as the foreground job: the terminal is the child's
        // again (the shell gave it to this process's group).
        if (Tty >= 0 && tcgetpgrp(Tty) == getpgrp())
          giveTerminal(Tty, Child);
        kill(Child, SIGCONT);
      }
      continue;
    }
    if (Tty >= 0)
      takeTerminalBack(Tty, Child, Kernel);
    if (WIFEXITED(Status))
      return WEXITSTATUS(Status);
    int Signal = WTERMSIG(Status);
    // The same death, so that a shell's $? says 128 + n; no second core.
    rlimit NoCore{0, 0};
    setrlimit(RLIMIT_CORE, &NoCore);
    signal(Signal, SIG_DFL);
    sigset_t Only;
    sigemptyset(&Only);
    sigaddset(&Only, Signal);
    sigprocmask(SIG_UNBLOCK, &Only, nullptr);
    raise(Signal);
    return 128 + Signal;
  }
}

} // namespace

Result<SystemEntry::Outcome> SystemEntry::enter(const char *SocketPath,
                                                std::string &Why) {
  Outcome Entered;
  if (!SocketPath || !*SocketPath)
    return Entered;
  pid_t Kernel = kernelPid(SocketPath);
  Entered.NoSystem = Kernel <= 0;
  if (Kernel <= 0 || sameNamespace(Kernel))
    return Entered;
  char Cwd[PATH_MAX];
  if (!getcwd(Cwd, sizeof(Cwd))) {
    Why = "cannot name the current folder: " + std::string(strerror(errno));
    return Status::error(errno);
  }
  int Pidfd = int(syscall(SYS_pidfd_open, Kernel, 0));
  if (Pidfd < 0 || setns(Pidfd, CLONE_NEWPID | CLONE_NEWNS) != 0) {
    int Error = errno;
    Why = "cannot enter the K42 system's pid namespace (kernel pid " +
          std::to_string(Kernel) + "): " + strerror(Error);
    if (Pidfd >= 0)
      close(Pidfd);
    return Status::error(Error);
  }
  close(Pidfd);
  // Joining a mount namespace leaves this process at its root.
  if (chdir(Cwd) != 0) {
    int Error = errno;
    Why = "the current folder " + std::string(Cwd) +
          " is not reachable inside the K42 system: " + strerror(Error);
    return Status::error(Error);
  }
  // The child is to die with the parent (a harness that kills k42-exec
  // ends the program): watched from before the fork, so a parent that dies
  // before the child asks for that is seen too.
  int Parent = int(syscall(SYS_pidfd_open, getpid(), 0));
  // A signal sent to k42-exec between the fork and the parent's handlers
  // waits, blocked, to be passed on rather than killing the parent alone.
  sigset_t Block, Before;
  sigemptyset(&Block);
  for (int S : Passed)
    sigaddset(&Block, S);
  sigprocmask(SIG_BLOCK, &Block, &Before);
  // The foreground job of a terminal: the child takes the foreground (see
  // SystemEntry.h).
  int Tty = foregroundTerminal();
  // No terminal to keep: the child makes a session of its own, as the
  // process server has it (the program leads its session and group). Its
  // caller's, outside the namespace, showed as 0 in /proc/<pid>/stat,
  // where getsid and getpgid said the program's pid (ps, pgrep -s).
  bool OwnSession = false;
  if (Tty < 0) {
    int Own = open("/dev/tty", O_RDONLY | O_NOCTTY | O_CLOEXEC);
    OwnSession = Own < 0;
    if (Own >= 0)
      close(Own);
  }
  pid_t Child = fork();
  if (Child < 0) {
    int Error = errno;
    sigprocmask(SIG_SETMASK, &Before, nullptr);
    Why = "cannot fork into the K42 system: " + std::string(strerror(Error));
    if (Parent >= 0)
      close(Parent);
    return Status::error(Error);
  }
  if (Child == 0) {
    if (Tty >= 0 && setpgid(0, 0) == 0)
      giveTerminal(Tty, getpid());
    else if (OwnSession)
      (void)setsid();
    sigprocmask(SIG_SETMASK, &Before, nullptr);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (Parent >= 0) {
      pollfd Gone{Parent, POLLIN, 0};
      if (poll(&Gone, 1, 0) > 0)
        _exit(128 + SIGKILL);
      close(Parent);
    }
    return Entered;
  }
  if (Parent >= 0)
    close(Parent);
  // Set from both sides, as a shell does: whichever runs first.
  if (Tty >= 0)
    (void)setpgid(Child, Child);
  Entered.GoOn = false;
  ToGroup = OwnSession;
  Entered.ExitStatus = waitOutside(Child, Before, Tty, Kernel);
  return Entered;
}

} // namespace k42::personality
