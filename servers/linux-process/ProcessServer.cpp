//===- servers/linux-process/ProcessServer.cpp - The server's object ------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "ProcessServer.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace k42;
using namespace k42::linuxproc;

namespace {

/// What /proc says of a host process.
struct HostView {
  int32_t Parent = 0;
  int32_t Group = 0;
  int32_t Session = 0;
  Credentials Cred;
  std::string Name;
};

/// Reads /proc/<Pid>/stat and, with \p WithCredentials, status; false if
/// there is no such process.
bool readHost(int32_t Pid, HostView &View, bool WithCredentials = true) {
  if (Pid <= 0)
    return false;
  char Path[64];
  std::snprintf(Path, sizeof(Path), "/proc/%d/stat", Pid);
  // One read of one line: no stdio stream (its buffer and fstat) for the
  // file every fork report reads.
  int Fd = open(Path, O_RDONLY | O_CLOEXEC);
  if (Fd < 0)
    return false;
  char Line[1024];
  ssize_t N;
  do
    N = read(Fd, Line, sizeof(Line) - 1);
  while (N < 0 && errno == EINTR);
  close(Fd);
  if (N <= 0)
    return false;
  Line[N] = 0;
  // "pid (comm) state ppid pgrp session ...": comm may hold anything.
  const char *Open = std::strchr(Line, '(');
  const char *Close = std::strrchr(Line, ')');
  char State = 0;
  if (!Open || !Close || Close < Open ||
      std::sscanf(Close + 1, " %c %d %d %d", &State, &View.Parent, &View.Group,
                  &View.Session) != 4)
    return false;
  View.Name.assign(Open + 1, Close);
  if (!WithCredentials)
    return true;
  std::snprintf(Path, sizeof(Path), "/proc/%d/status", Pid);
  FILE *F = std::fopen(Path, "r");
  if (!F)
    return false;
  while (std::fgets(Line, sizeof(Line), F)) {
    Credentials &C = View.Cred;
    if (!std::strncmp(Line, "Uid:", 4))
      (void)std::sscanf(Line + 4, "%u %u %u", &C.Ruid, &C.Euid, &C.Suid);
    else if (!std::strncmp(Line, "Gid:", 4))
      (void)std::sscanf(Line + 4, "%u %u %u", &C.Rgid, &C.Egid, &C.Sgid);
    else if (!std::strncmp(Line, "Groups:", 7))
      for (char *At = Line + 7, *End;; At = End) {
        unsigned long Gid = std::strtoul(At, &End, 10);
        if (End == At)
          break;
        C.Groups.push_back(uint32_t(Gid));
      }
  }
  std::sort(View.Cred.Groups.begin(), View.Cred.Groups.end());
  std::fclose(F);
  return true;
}

/// Whether process \p Pid holds capability \p Cap in its effective set
/// (CapEff of /proc/<Pid>/status): 1 or 0; -1 if that cannot be read.
int holdsCapability(int32_t Pid, unsigned Cap) {
  char Path[64];
  std::snprintf(Path, sizeof(Path), "/proc/%d/status", Pid);
  FILE *F = std::fopen(Path, "r");
  if (!F)
    return -1;
  char Line[256];
  int Held = -1;
  while (Held < 0 && std::fgets(Line, sizeof(Line), F)) {
    unsigned long long Mask = 0;
    if (!std::strncmp(Line, "CapEff:", 7) &&
        std::sscanf(Line + 7, "%llx", &Mask) == 1)
      Held = int((Mask >> Cap) & 1);
  }
  std::fclose(F);
  return Held;
}

constexpr unsigned CapSetgid = 6;
constexpr unsigned CapSetuid = 7;

/// Whether \p Pid is a process rather than another thread of one (whose
/// /proc entry answers too, but which is no process of the tree).
bool isProcess(int32_t Pid) {
  int Fd = int(syscall(SYS_pidfd_open, Pid, 0)); // EINVAL for a thread
  if (Fd < 0)
    return false;
  close(Fd);
  return true;
}

/// Whether the host's pidfds say when their process has been reaped
/// (POLLHUP after the parent's wait; Linux 6.x), asked of a child made for
/// it: then the server sees every reap itself.
bool pidfdsReportReaps() {
  pid_t Child = fork();
  if (Child < 0)
    return false;
  if (Child == 0)
    _exit(0);
  int Fd = int(syscall(SYS_pidfd_open, Child, 0));
  (void)waitpid(Child, nullptr, 0);
  if (Fd < 0)
    return false;
  pollfd P{Fd, 0, 0};
  bool Hup = poll(&P, 1, 0) == 1 && (P.revents & POLLHUP);
  close(Fd);
  return Hup;
}

} // namespace

ProcessServer::ProcessServer() : SeesReaps(pidfdsReportReaps()) {
  Wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  Deaths = epoll_create1(EPOLL_CLOEXEC);
  epoll_event E{};
  E.events = EPOLLIN;
  E.data.fd = Wake;
  (void)epoll_ctl(Deaths, EPOLL_CTL_ADD, Wake, &E);
  Watcher = std::thread([this] { watchDeaths(); });
}

ProcessServer::~ProcessServer() {
  {
    std::lock_guard<std::mutex> G(Lock);
    Stopping = true;
  }
  uint64_t One = 1;
  (void)!write(Wake, &One, sizeof(One));
  Watcher.join();
  for (auto &[Fd, Pid] : PidFds)
    close(Fd);
  close(Deaths);
  close(Wake);
}

int32_t ProcessServer::callerPid(const Badge &Caller) const {
  auto It = Bound.find(Caller.Pid);
  return It == Bound.end() ? 0 : It->second;
}

void ProcessServer::watch(int32_t Pid) {
  int Fd = int(syscall(SYS_pidfd_open, Pid, 0));
  if (Fd < 0) {
    // Gone already: reaped too, if the host has no such process at all
    // (a zombie still has its pid); no parent's reaped() need follow.
    if (SeesReaps && errno == ESRCH)
      Table.gone(Pid);
    else
      Table.died(Pid);
    return;
  }
  // Into the watcher's set directly: the watcher sleeps on through it (a
  // fork report no longer wakes it), and wakes only for a death.
  epoll_event E{};
  E.events = EPOLLIN;
  E.data.fd = Fd;
  if (epoll_ctl(Deaths, EPOLL_CTL_ADD, Fd, &E) != 0) {
    close(Fd);
    return;
  }
  PidFds[Fd] = Pid;
}

void ProcessServer::watchDeaths() {
  epoll_event Events[64];
  for (;;) {
    int Ready = epoll_wait(Deaths, Events, 64, -1);
    if (Ready < 0 && errno != EINTR)
      return;
    std::lock_guard<std::mutex> G(Lock);
    if (Stopping)
      return;
    for (int I = 0; I < Ready; ++I) {
      int Fd = Events[I].data.fd;
      if (Fd == Wake) {
        uint64_t Count;
        (void)!read(Wake, &Count, sizeof(Count));
        continue;
      }
      auto It = PidFds.find(Fd);
      if (It == PidFds.end())
        continue;
      uint32_t Seen = Events[I].events;
      Table.died(It->second); // Once: a zombie stays one.
      if (SeesReaps && !(Seen & (EPOLLHUP | EPOLLERR))) {
        // Dead, not reaped yet: watched on for the reap alone (POLLHUP,
        // which epoll always reports), so its parent need not say it.
        epoll_event E{};
        E.data.fd = Fd;
        if (epoll_ctl(Deaths, EPOLL_CTL_MOD, Fd, &E) == 0)
          continue;
      }
      unwatch(It, SeesReaps);
    }
  }
}

void ProcessServer::unwatch(std::map<int32_t, int>::iterator It, bool Reaped) {
  if (Reaped)
    Table.gone(It->second);
  close(It->first); // Leaves the epoll set with it.
  PidFds.erase(It);
}

void ProcessServer::settleReaps() {
  if (!SeesReaps || PidFds.empty())
    return;
  // The watcher learns of a reap a moment after it; a parent's wait has
  // returned by then, and its next call (kill of the pid it reaped, a
  // listing) must already see the process gone, as on Linux. A reaped
  // process's pidfd says so at once (POLLHUP: asked for no event, a live
  // process or a zombie answers nothing).
  std::vector<pollfd> Fds;
  Fds.reserve(PidFds.size());
  for (const auto &[Fd, Pid] : PidFds)
    Fds.push_back({Fd, 0, 0});
  if (poll(Fds.data(), Fds.size(), 0) <= 0)
    return;
  for (const pollfd &P : Fds)
    if (P.revents & (POLLHUP | POLLERR))
      if (auto It = PidFds.find(P.fd); It != PidFds.end())
        unwatch(It, /*Reaped=*/true);
}

bool ProcessServer::learn(int32_t Pid, std::set<int32_t> *Foreign) {
  // The line of processes from Pid up to one the tree holds, read from
  // the host (each one's parent): deeper than any real line, a bound
  // against a loop of pids reused while it is read.
  constexpr size_t Deepest = 256;
  int32_t Line[Deepest];
  int32_t Groups[Deepest][2]; // what the host says: group, session
  size_t Depth = 0;
  int32_t At = Pid;
  bool Reached = false;
  for (;;) {
    // A child of init (the kernel's servers, an orphan) is not a fork of
    // the tree's, nor is a process whose parent is outside the system: an
    // orphan is learned below.
    if (At <= ProcessTable::InitPid)
      break;
    if (const ProcessRecord *R = Table.find(At)) {
      // A zombie's children are init's on the host already.
      Reached = Depth == 0 || !R->Zombie;
      break;
    }
    HostView View;
    if (Depth == Deepest || (Foreign && Foreign->count(At)) || !isProcess(At) ||
        !readHost(At, View, /*WithCredentials=*/false))
      break;
    Groups[Depth][0] = View.Group;
    Groups[Depth][1] = View.Session;
    Line[Depth++] = At;
    At = View.Parent;
  }
  // An orphan: the top of the line is init's child but no server of the
  // kernel's (they share the kernel's session, which no program started
  // through the kernel is in). Its parent died without telling of it (a
  // parent killed by a signal reports no unreaped child), and Linux made
  // it init's: it is learned as one, with what the host says of it, as
  // hello() learns an orphan that calls.
  if (!Reached && Depth > 0 && At == ProcessTable::InitPid &&
      ::getppid() == ProcessTable::InitPid) {
    HostView Top;
    int32_t Orphan = Line[Depth - 1];
    if (readHost(Orphan, Top) && Top.Parent == ProcessTable::InitPid &&
        Top.Session != ::getsid(0) &&
        Table.addRoot(Orphan, Top.Group, Top.Session, Top.Cred)) {
      KnownForeign.clear(); // lines through it reach the tree now
      watch(Orphan);
      At = Orphan;
      --Depth;
      Reached = true;
    }
  }
  if (!Reached) {
    if (Foreign)
      Foreign->insert(Line, Line + Depth);
    return false;
  }
  // From the top down: each one forked by the one above, so it has what
  // that one has (credentials; group and session too, which changes made
  // through this server would have found learned: learnAll() runs before
  // every such change), but for a group or session the host alone saw
  // set (a posix_spawn child's setpgid or setsid).
  for (size_t I = Depth; I-- > 0;) {
    bool Known = Table.find(Line[I]) != nullptr;
    if (!Table.addChild(At, Line[I]))
      return false;
    if (!Known) {
      watch(Line[I]);
      Table.hostGroup(Line[I], Groups[I][0], Groups[I][1]);
    }
    At = Line[I];
  }
  return true;
}

void ProcessServer::learnAll() {
  DIR *Proc = opendir("/proc");
  if (!Proc)
    return;
  std::set<int32_t> Foreign, Present;
  while (const dirent *E = readdir(Proc)) {
    char *End;
    long Pid = std::strtol(E->d_name, &End, 10);
    if (End == E->d_name || *End || Pid <= ProcessTable::InitPid ||
        Pid > INT32_MAX)
      continue;
    if (Table.find(int32_t(Pid)))
      continue;
    Present.insert(int32_t(Pid));
    if (!KnownForeign.count(int32_t(Pid)))
      (void)learn(int32_t(Pid), &Foreign);
  }
  closedir(Proc);
  // A pid gone from /proc is forgotten, so a process that takes it later
  // is read; those found foreign now are remembered.
  for (auto It = KnownForeign.begin(); It != KnownForeign.end();)
    It = Present.count(*It) ? std::next(It) : KnownForeign.erase(It);
  for (int32_t Pid : Foreign)
    if (Present.count(Pid) && !Table.find(Pid))
      KnownForeign.insert(Pid);
}

Status ProcessServer::hello(int32_t HostPid, const Badge &Caller) {
  HostView View;
  if (!readHost(HostPid, View))
    return Status::error(ESRCH);
  // The badge's uid is the kernel's word for who connected.
  const Credentials &C = View.Cred;
  if (Caller.Uid != 0 && Caller.Uid != C.Ruid && Caller.Uid != C.Euid &&
      Caller.Uid != C.Suid)
    return Status::error(EPERM);
  std::lock_guard<std::mutex> G(Lock);
  settleReaps();
  if (!Table.find(HostPid)) {
    // A fork of a process in the tree (or of one of its unreported
    // children), else a root: a program started from outside, or an
    // orphan whose parent died before anyone asked about it.
    if (!learn(HostPid)) {
      Status S = Table.addRoot(HostPid, View.Group, View.Session, C);
      if (!S)
        return S;
      KnownForeign.clear(); // lines through it reach the tree now
      watch(HostPid);
    }
    Table.setName(HostPid, View.Name);
  }
  Bound[Caller.Pid] = HostPid;
  return Status::ok(HostPid | (SeesReaps ? HelloSeesReaps : 0));
}

Status ProcessServer::forked(int32_t ChildHostPid, const Badge &Caller) {
  // Only the host parent may say whose child a process is: its parent is
  // all this needs of /proc (one file, not two), read before the lock, so
  // every fork report does not hold up the other calls for it.
  HostView View;
  bool Found = readHost(ChildHostPid, View, /*WithCredentials=*/false);
  std::lock_guard<std::mutex> G(Lock);
  int32_t Me = callerPid(Caller);
  if (!Me)
    return Status::error(ESRCH);
  if (!Found || View.Parent != Me)
    return Status::error(ESRCH);
  bool Known = Table.find(ChildHostPid) != nullptr;
  Status S = Table.addChild(Me, ChildHostPid);
  if (S && !Known) {
    watch(ChildHostPid);
    // A posix_spawn child's setpgid/setsid reached the host alone.
    Table.hostGroup(ChildHostPid, View.Group, View.Session);
  }
  return S;
}

Status ProcessServer::reaped(int32_t Pid, const Badge &Caller) {
  std::lock_guard<std::mutex> G(Lock);
  int32_t Me = callerPid(Caller);
  if (!Me)
    return Status::error(ESRCH);
  return Table.reaped(Me, Pid);
}

Status ProcessServer::execed(std::string_view Name, uint32_t Failed,
                             const Badge &Caller) {
  std::lock_guard<std::mutex> G(Lock);
  int32_t Me = callerPid(Caller);
  if (!Me)
    return Status::error(ESRCH);
  // Exec sets the saved ids to the effective ones: children forked before
  // keep the ones they had.
  if (const ProcessRecord *R = Table.find(Me);
      !Failed && R &&
      (R->Cred.Suid != R->Cred.Euid || R->Cred.Sgid != R->Cred.Egid))
    learnAll();
  return Failed ? Table.execFailed(Me) : Table.execed(Me, Name);
}

Status ProcessServer::signal(int32_t Pid, int32_t Signal, const Badge &Caller) {
  std::vector<int32_t> Targets;
  std::lock_guard<std::mutex> G(Lock);
  settleReaps();
  int32_t Me = callerPid(Caller);
  if (!Me)
    return Status::error(ESRCH);
  if (Pid == INT32_MIN)
    return Status::error(ESRCH); // Linux: -INT_MIN is no group.
  // A fork nobody reported is found now: one process by its pid, a group
  // or everyone by the host's whole list. Delivered under the lock, so a
  // target cannot be reaped and its host pid reused in between.
  if (Pid > 0) {
    (void)learn(Pid);
    Status S = Table.signalTargets(Me, Pid, Signal, Targets);
    for (int32_t T : Targets)
      (void)kill(T, Signal);
    return S;
  }
  // A group or everyone: the members the tree knows first, then those the
  // host's list adds. The host's list takes a while to read, and a member
  // woken by a signal sent just before this one (`timeout` signals its
  // target, then its own group) must have this one before it stops
  // blocking it, as on Linux, where both arrive at once (battery 40).
  (void)Table.signalTargets(Me, Pid, Signal, Targets);
  for (int32_t T : Targets)
    (void)kill(T, Signal);
  learnAll();
  std::vector<int32_t> All;
  Status S = Table.signalTargets(Me, Pid, Signal, All);
  std::sort(Targets.begin(), Targets.end());
  for (int32_t T : All)
    if (!std::binary_search(Targets.begin(), Targets.end(), T))
      (void)kill(T, Signal);
  return S;
}

Status ProcessServer::signalThread(int32_t Pid, int32_t Tid, int32_t Signal,
                                   const Badge &Caller) {
  std::vector<int32_t> Targets;
  std::lock_guard<std::mutex> G(Lock);
  settleReaps();
  int32_t Me = callerPid(Caller);
  if (!Me)
    return Status::error(ESRCH);
  if (Pid <= 0 || Tid <= 0)
    return Status::error(EINVAL);
  (void)learn(Pid);
  Status S = Table.signalTargets(Me, Pid, Signal, Targets);
  if (!S)
    return S;
  if (Signal == 0 || Targets.empty())
    return S;
  if (syscall(SYS_tgkill, Pid, Tid, Signal) < 0)
    return Status::error(errno);
  return S;
}

Status ProcessServer::setsid(const Badge &Caller) {
  std::lock_guard<std::mutex> G(Lock);
  settleReaps();
  int32_t Me = callerPid(Caller);
  if (!Me)
    return Status::error(ESRCH);
  learnAll(); // Who leads a group; the caller's children keep its session.
  return Table.setsid(Me);
}

Status ProcessServer::setpgid(int32_t Pid, int32_t Group, uint32_t Commit,
                              const Badge &Caller) {
  std::lock_guard<std::mutex> G(Lock);
  settleReaps();
  int32_t Me = callerPid(Caller);
  if (!Me)
    return Status::error(ESRCH);
  learnAll(); // The groups of the session; the target's children keep its.
  return Table.setpgid(Me, Pid, Group, Commit != 0);
}

Status ProcessServer::getpgid(int32_t Pid, const Badge &Caller) {
  std::lock_guard<std::mutex> G(Lock);
  settleReaps();
  int32_t Me = callerPid(Caller);
  if (!Me)
    return Status::error(ESRCH);
  if (Pid > 0)
    (void)learn(Pid);
  return Table.getpgid(Me, Pid);
}

Status ProcessServer::getsid(int32_t Pid, const Badge &Caller) {
  std::lock_guard<std::mutex> G(Lock);
  settleReaps();
  int32_t Me = callerPid(Caller);
  if (!Me)
    return Status::error(ESRCH);
  if (Pid > 0)
    (void)learn(Pid);
  return Table.getsid(Me, Pid);
}

Status ProcessServer::getppid(const Badge &Caller) {
  std::lock_guard<std::mutex> G(Lock);
  settleReaps();
  int32_t Me = callerPid(Caller);
  return Me ? Table.getppid(Me) : Status::error(ESRCH);
}

Status ProcessServer::setSubreaper(uint32_t On, const Badge &Caller) {
  std::lock_guard<std::mutex> G(Lock);
  settleReaps();
  int32_t Me = callerPid(Caller);
  return Me ? Table.setSubreaper(Me, On != 0) : Status::error(ESRCH);
}

Status ProcessServer::setCredentials(uint32_t Call, int32_t A, int32_t B,
                                     int32_t C, uint32_t Commit,
                                     const Badge &Caller) {
  std::lock_guard<std::mutex> G(Lock);
  int32_t Me = callerPid(Caller);
  if (!Me)
    return Status::error(ESRCH);
  if (Commit)
    learnAll(); // Children forked before keep the caller's ids.
  bool User =
      Call == CallSetuid || Call == CallSetreuid || Call == CallSetresuid;
  return Table.setCredentials(
      Me, Call, A, B, C, Commit != 0,
      holdsCapability(Me, User ? CapSetuid : CapSetgid));
}

Status ProcessServer::list(std::vector<ProcessInfo> &Processes) {
  std::lock_guard<std::mutex> G(Lock);
  settleReaps();
  learnAll();
  Processes.clear();
  // A process that exec'd without telling (it was not connected) runs
  // what the host says.
  for (const ProcessRecord &R : Table.list()) {
    HostView View;
    if (!R.NameAnnounced && !R.Zombie && R.Pid != ProcessTable::InitPid &&
        readHost(R.Pid, View))
      Table.setName(R.Pid, View.Name);
  }
  for (const ProcessRecord &R : Table.list()) {
    ProcessInfo I{};
    I.Pid = R.Pid;
    I.Parent = R.Parent;
    I.Group = R.Group;
    I.Session = R.Session;
    I.HostPid = R.Pid == ProcessTable::InitPid ? 0 : R.Pid;
    I.State = R.Zombie ? StateZombie : StateRunning;
    I.Ruid = R.Cred.Ruid;
    I.Euid = R.Cred.Euid;
    I.Suid = R.Cred.Suid;
    I.Rgid = R.Cred.Rgid;
    I.Egid = R.Cred.Egid;
    I.Sgid = R.Cred.Sgid;
    I.Flags = R.Execed ? FlagExeced : 0;
    I.GroupCount = uint32_t(R.Cred.Groups.size());
    std::memcpy(I.Name, R.Name.data(), std::min(R.Name.size(), NameMax));
    for (auto &[Badge, Pid] : Bound)
      if (Pid == R.Pid)
        I.Flags |= FlagConnected;
    Processes.push_back(I);
  }
  return Status::ok();
}

Status ProcessServer::queueSignal(int32_t Pid, int32_t Tid, int32_t Signal,
                                  std::span<const uint8_t> Info,
                                  const Badge &Caller) {
  siginfo_t Copy;
  static_assert(sizeof(Copy) == SigInfoSize);
  if (Info.size() != sizeof(Copy))
    return Status::error(EINVAL);
  std::memcpy(&Copy, Info.data(), sizeof(Copy));
  std::vector<int32_t> Targets;
  std::lock_guard<std::mutex> G(Lock);
  settleReaps();
  int32_t Me = callerPid(Caller);
  if (!Me)
    return Status::error(ESRCH);
  if (Tid < 0)
    return Status::error(EINVAL);
  if (Pid > 0)
    (void)learn(Pid);
  Status S = Table.queueTarget(Me, Pid, Signal, Copy.si_code, Targets);
  if (!S || Targets.empty())
    return S;
  // Under the lock, as signal(): the target cannot be reaped meanwhile.
  long Done = Tid ? syscall(SYS_rt_tgsigqueueinfo, Pid, Tid, Signal, &Copy)
                  : syscall(SYS_rt_sigqueueinfo, Pid, Signal, &Copy);
  return Done < 0 ? Status::error(errno) : S;
}

Status ProcessServer::setGroups(int32_t Count, std::span<const uint32_t> Groups,
                                uint32_t Commit, const Badge &Caller) {
  std::lock_guard<std::mutex> G(Lock);
  int32_t Me = callerPid(Caller);
  if (!Me)
    return Status::error(ESRCH);
  if (Commit)
    learnAll(); // Children forked before keep the caller's groups.
  return Table.setGroups(Me, Count, Groups, Commit != 0,
                         holdsCapability(Me, CapSetgid));
}

void ProcessServer::forget(uint32_t BadgePid) {
  std::lock_guard<std::mutex> G(Lock);
  Bound.erase(BadgePid);
}
