//===- kernel/lib/Kernel.cpp - The K42 kernel process ---------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "Kernel.h"
#include "BootDescription.h"

#include "k42/ipc/Channel.h"
#include "k42/kernel/KernelLink.h"
#include "k42/trace/Trace.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <spawn.h>
#include <sstream>
#include <string>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace k42::kernel {
namespace {

/// One kernel event in the system's trace, its text made by \p Text only
/// when tracing is on (off, it costs a load and a branch).
template <typename MakeText>
void kernelEvent(trace::KernelMinor Minor, MakeText Text) {
  if (trace::enabled()) [[unlikely]]
    trace::event(trace::Major::Kernel, uint16_t(Minor), Text());
}

/// Channels the kernel makes have one slot per client thread, up to this.
constexpr uint32_t SlotsPerChannel = 64;

/// Messages the kernel keeps for a process whose socket is full before it
/// disconnects that process as not reading: enough for a List of thousands
/// of processes, and a bound on what one process can make the kernel hold.
constexpr size_t MaxBacklog = 4096;

/// Connects one process may have waiting for servers at once. A KernelLink
/// has one at a time; each costs the kernel a channel (a memfd and its
/// mapping) until the server answers, so a process must not hoard them.
constexpr size_t MaxPendingPerClient = 16;

/// Channels the kernel keeps made ahead of the Connects that take them
/// (Kernel::stockChannels): a burst of joins (a script's forks) finds them
/// made; a few memfds of the kernel's, of one header page each.
constexpr size_t ReadyChannels = 4;

/// The largest errno (Linux's MAX_ERRNO): a server's ClientReady status
/// below -MaxErrno is no errno, and the kernel does not pass it on.
constexpr int64_t MaxErrno = 4095;

/// Messages the kernel reads from one process in one round of its loop,
/// and connections it takes from the listening socket: what is already
/// there costs no wait for the next poll, and the bound keeps one busy
/// process (or a flood of connects) from holding the others up.
constexpr int MessagesPerRound = 16;
constexpr int AcceptsPerRound = 16;

/// Ready descriptors one round takes from epoll_wait; any more are
/// reported again next round (level-triggered), at once.
constexpr int EventsPerRound = 64;

/// How often, at most, run() checks that its socket file is still its
/// own: a removed socket is noticed within this (plus a round), and a
/// busy kernel makes no stat per message.
constexpr std::chrono::milliseconds SocketCheckInterval(200);

/// The write end of the pipe SIGCHLD wakes an init kernel's poll through
/// (one init per process).
int ChildWakeWriteFd = -1;

void childExited(int) {
  int Saved = errno;
  char Byte = 0;
  (void)!write(ChildWakeWriteFd, &Byte, 1);
  errno = Saved;
}

template <typename Out> void closeCopies(Out &O) {
  for (int Fd : {O.Fd, O.Fd2})
    if (Fd >= 0)
      close(Fd);
}

void setName(Message &M, const std::string &Name) {
  size_t N = std::min(Name.size(), sizeof(M.Name) - 1);
  std::memcpy(M.Name, Name.data(), N);
  M.Name[N] = '\0';
}

} // namespace

Kernel::~Kernel() {
  for (auto &[Fd, P] : Processes) {
    for (Outgoing &O : P.Outbox)
      closeCopies(O);
    close(Fd);
  }
  closeListener();
  if (EpollFd >= 0)
    close(EpollFd);
  if (ChildWakeFd >= 0) {
    signal(SIGCHLD, SIG_DFL);
    close(ChildWakeFd);
    close(ChildWakeWriteFd);
    ChildWakeWriteFd = -1;
  }
}

Status Kernel::watchChildren() {
  int Pipe[2];
  if (pipe2(Pipe, O_CLOEXEC | O_NONBLOCK) != 0)
    return Status::error(errno);
  ChildWakeFd = Pipe[0];
  ChildWakeWriteFd = Pipe[1];
  struct sigaction Wake {};
  Wake.sa_handler = childExited;
  Wake.sa_flags = SA_RESTART | SA_NOCLDSTOP;
  sigaction(SIGCHLD, &Wake, nullptr);
  return Status::ok();
}

void Kernel::makeSocketFolder(const std::string &SocketPath) {
  std::string Dir = SocketPath.substr(0, SocketPath.rfind('/'));
  if (!Dir.empty())
    mkdir(Dir.c_str(), 0711);
}

Status Kernel::listen() {
  // The socket's directory is the kernel's; others may pass through it.
  // With pids of its own, the system's processes that became another user
  // (su, runuser, a daemon dropping root) connect too: the socket is
  // everyone's, and accept() turns away another user's process from
  // outside the system. Without, only this user may connect.
  makeSocketFolder(Options.SocketPath);
  // A socket file left by a kernel that died is stale; a live one is not.
  if (Result<std::unique_ptr<KernelLink>> Other =
          KernelLink::connect("probe", Options.SocketPath);
      Other.isOk())
    return Status::error(EADDRINUSE);
  unlink(Options.SocketPath.c_str());
  sockaddr_un Address;
  int DirFd;
  if (Status S = socketAddress(Options.SocketPath, Address, DirFd); !S)
    return S;
  // Non-blocking: accept() takes connections until none is left waiting.
  ListenFd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  bool Ok =
      ListenFd >= 0 &&
      bind(ListenFd, reinterpret_cast<sockaddr *>(&Address), sizeof(Address)) ==
          0 &&
      chmod(Options.SocketPath.c_str(), Options.Init ? 0666 : 0600) == 0 &&
      ::listen(ListenFd, 64) == 0;
  int Error = errno;
  if (DirFd >= 0)
    close(DirFd);
  if (Ok && stat(Options.SocketPath.c_str(), &Socket) != 0) {
    Ok = false;
    Error = errno;
  }
  return Ok ? Status::ok() : Status::error(Error);
}

Status Kernel::spawnBootServers() {
  if (Options.BootFile.empty())
    return Status::ok();
  Result<BootDescription> Boot = BootDescription::load(Options.BootFile);
  if (!Boot)
    return Boot.status();
  std::string SocketEnv = "K42_KERNEL_SOCKET=" + Options.SocketPath;
  std::vector<std::string> Env;
  for (char **E = environ; *E; ++E)
    if (std::strncmp(*E, "K42_KERNEL_SOCKET=", 18) != 0)
      Env.push_back(*E);
  Env.push_back(SocketEnv);
  std::vector<char *> EnvP;
  for (std::string &E : Env)
    EnvP.push_back(E.data());
  EnvP.push_back(nullptr);
  for (const BootEntry &Entry : Boot->Servers) {
    std::vector<std::string> Args = Entry.Argv;
    std::vector<char *> ArgP;
    for (std::string &A : Args)
      ArgP.push_back(A.data());
    ArgP.push_back(nullptr);
    pid_t Pid;
    int Error = posix_spawn(&Pid, ArgP[0], nullptr, nullptr, ArgP.data(),
                            EnvP.data());
    if (Error != 0) {
      std::fprintf(stderr, "k42-kernel: cannot start %s: %s\n", ArgP[0],
                   std::strerror(Error));
      return Status::error(Error);
    }
    Spawned.push_back(Pid);
  }
  return Status::ok();
}

bool Kernel::watch(int Fd) {
  epoll_event E{};
  E.events = EPOLLIN;
  E.data.fd = Fd;
  return epoll_ctl(EpollFd, EPOLL_CTL_ADD, Fd, &E) == 0;
}

Status Kernel::boot() {
  if (EpollFd < 0 && (EpollFd = epoll_create1(EPOLL_CLOEXEC)) < 0)
    return Status::error(errno);
  if (Options.Init && ChildWakeFd < 0) {
    if (Status S = watchChildren(); !S)
      return S;
    if (!watch(ChildWakeFd))
      return Status::error(errno);
  }
  if (Status S = listen(); !S)
    return S;
  if (!watch(ListenFd))
    return Status::error(errno);
  if (Status S = spawnBootServers(); !S)
    return S;
  // Up means: every server we started has connected and registered.
  auto Deadline = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(Options.BootTimeoutMs);
  for (;;) {
    size_t Registered = 0;
    for (auto &[Fd, P] : Processes)
      for (pid_t Pid : Spawned)
        if (P.HostPid == Pid && P.Registered)
          ++Registered;
    if (Registered >= Spawned.size()) {
      RefuseLinuxUntil = std::chrono::steady_clock::now() +
                         std::chrono::milliseconds(Options.RefuseLinuxMs);
      return Status::ok();
    }
    reapChildren();
    if (Spawned.empty() && Registered == 0 && Options.BootFile.empty())
      return Status::ok();
    if (std::chrono::steady_clock::now() > Deadline)
      return Status::error(ETIMEDOUT);
    pollOnce(50);
  }
}

Status Kernel::run(const volatile int *StopRequested) {
  while (!ShuttingDown && !(StopRequested && *StopRequested)) {
    pollOnce(200);
    auto Now = std::chrono::steady_clock::now();
    if (Now - SocketChecked < SocketCheckInterval)
      continue;
    SocketChecked = Now;
    if (!socketStillOurs()) {
      // Nobody can reach this system any more (its socket was removed or
      // replaced, as a test that starts afresh does): stop, rather than
      // leave the kernel and its servers running for ever.
      std::fprintf(stderr, "k42-kernel: %s is gone; shutting down\n",
                   Options.SocketPath.c_str());
      break;
    }
  }
  // No new process joins a system that is stopping: a command run next
  // finds no system rather than one that hangs up on it.
  closeListener();
  stopEverything();
  return Status::ok();
}

void Kernel::closeListener() {
  if (ListenFd < 0)
    return;
  close(ListenFd);
  ListenFd = -1;
  // Only our own socket: a kernel booted since at the same path (a test
  // that starts afresh) keeps its name, or its processes would fall back
  // to the host's files.
  if (socketStillOurs())
    unlink(Options.SocketPath.c_str());
}

bool Kernel::socketStillOurs() const {
  struct stat Now;
  if (stat(Options.SocketPath.c_str(), &Now) != 0)
    return errno != ENOENT;
  return Now.st_dev == Socket.st_dev && Now.st_ino == Socket.st_ino;
}

void Kernel::stockChannels() {
  while (Stock.size() < ReadyChannels) {
    Result<int> Made = Channel::createRegion(SlotsPerChannel);
    if (!Made)
      return; // Made at the Connect then, which says why not.
    Stock.emplace_back(*Made);
  }
}

Result<Kernel::ChannelFd> Kernel::takeChannel() {
  if (Stock.empty()) {
    Result<int> Made = Channel::createRegion(SlotsPerChannel);
    if (!Made)
      return Made.status();
    return ChannelFd(*Made);
  }
  ChannelFd Chan = std::move(Stock.back());
  Stock.pop_back();
  return Chan;
}

void Kernel::pollOnce(int TimeoutMs) {
  // Before the wait, after the round that used them: the next joins find
  // their channels made.
  stockChannels();
  epoll_event Events[EventsPerRound];
  // Not booted (no epoll set): nothing to wait for but the time.
  int Ready = EpollFd >= 0
                  ? epoll_wait(EpollFd, Events, EventsPerRound, TimeoutMs)
                  : poll(nullptr, 0, TimeoutMs);
  // As init, children are reaped when SIGCHLD says one exited (its handler
  // writes the pipe, drained before the reaping so no exit is missed);
  // otherwise the servers this kernel started are asked every round.
  bool ChildExited = ChildWakeFd < 0;
  bool Connecting = false;
  for (int I = 0; I < Ready; ++I) {
    ChildExited |= Events[I].data.fd == ChildWakeFd;
    Connecting |= Events[I].data.fd == ListenFd;
  }
  if (ChildWakeFd >= 0 && ChildExited) {
    char Drain[64];
    while (read(ChildWakeFd, Drain, sizeof(Drain)) > 0)
      ;
  }
  if (ChildExited)
    reapChildren();
  if (Ready <= 0)
    return;
  // New connections only here, before any drop of this round: a descriptor
  // number a drop frees is not reused until the next round, so every event
  // below names the process it was reported for, or one gone since.
  // (accept() reads the new ones' first messages, which drop none of the
  // others.)
  if (Connecting)
    accept();
  for (int I = 0; I < Ready; ++I) {
    int Fd = Events[I].data.fd;
    uint32_t Seen = Events[I].events;
    if (Fd == ListenFd || Fd == ChildWakeFd)
      continue;
    auto It = Processes.find(Fd);
    if (It == Processes.end())
      continue;
    if (Seen & EPOLLOUT)
      flush(It->second);
    if (Seen & EPOLLIN)
      handleAll(It->second);
    else if (Seen & (EPOLLHUP | EPOLLERR))
      drop(Fd);
  }
  dropUnresponsive();
}

void Kernel::accept() {
  for (int N = 0; N < AcceptsPerRound; ++N) {
    // Non-blocking: the kernel must never wait for one process to read.
    int Fd = accept4(ListenFd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (Fd < 0)
      return;
    ucred Cred{};
    socklen_t Len = sizeof(Cred);
    if (getsockopt(Fd, SOL_SOCKET, SO_PEERCRED, &Cred, &Len) != 0) {
      close(Fd);
      continue;
    }
    // Made in its place: no copy of a new entry's outbox and vectors.
    if (!watch(Fd)) {
      close(Fd);
      continue;
    }
    auto [It, Fresh] = Processes.try_emplace(Fd);
    if (!Fresh)
      It->second = Process{}; // Never: a dropped process leaves with its fd.
    Process &P = It->second;
    P.Fd = Fd;
    P.HostPid = Cred.pid;
    P.Who = Badge{NextPid++, Cred.uid, Cred.gid, 0};
    // Another user is admitted only inside the system's pid namespace,
    // which only a process of the system (or root, through k42-exec) can
    // have entered: SO_PEERCRED's pid is 0 for one outside it.
    P.Refused = Cred.uid != 0 && Cred.uid != geteuid() &&
                (!Options.Init || Cred.pid == 0);
    handleAll(P);
  }
}

void Kernel::handleAll(Process &P) {
  for (int N = 0; N < MessagesPerRound && !ShuttingDown; ++N)
    if (!handle(P))
      return;
}

bool Kernel::send(Process &P, const Message &M, int PassFd, int PassFd2) {
  if (P.Unresponsive)
    return false;
  if (P.Outbox.empty()) {
    Status S = sendMessage(P.Fd, M, PassFd, PassFd2);
    if (S)
      return true;
    if (S.errorCode() != EAGAIN)
      return false; // Gone: its hangup drops it.
  }
  // Its socket is full: keep the message until the process reads.
  if (P.Outbox.size() >= MaxBacklog) {
    markUnresponsive(P);
    return false;
  }
  int Copy = -1, Copy2 = -1;
  if (PassFd >= 0 && (Copy = fcntl(PassFd, F_DUPFD_CLOEXEC, 0)) < 0)
    return false;
  if (PassFd2 >= 0 && (Copy2 = fcntl(PassFd2, F_DUPFD_CLOEXEC, 0)) < 0) {
    if (Copy >= 0)
      close(Copy);
    return false;
  }
  P.Outbox.push_back({M, Copy, Copy2});
  watchRoom(P);
  return true;
}

void Kernel::watchRoom(Process &P) {
  bool Wanted = !P.Outbox.empty();
  if (Wanted == P.WaitsForRoom)
    return;
  epoll_event E{};
  E.events = EPOLLIN | (Wanted ? EPOLLOUT : 0);
  E.data.fd = P.Fd;
  if (epoll_ctl(EpollFd, EPOLL_CTL_MOD, P.Fd, &E) == 0)
    P.WaitsForRoom = Wanted;
}

void Kernel::flush(Process &P) {
  while (!P.Outbox.empty()) {
    Outgoing &O = P.Outbox.front();
    Status S = sendMessage(P.Fd, O.M, O.Fd, O.Fd2);
    if (!S && S.errorCode() == EAGAIN)
      return;
    closeCopies(O);
    P.Outbox.pop_front();
  }
  watchRoom(P);
}

void Kernel::markUnresponsive(Process &P) {
  if (P.Unresponsive)
    return;
  P.Unresponsive = true;
  Unresponsive.push_back({P.Fd, P.Who.Pid});
}

void Kernel::dropUnresponsive() {
  // Dropping tells servers, which may mark more.
  while (!Unresponsive.empty()) {
    auto [Fd, Pid] = Unresponsive.back();
    Unresponsive.pop_back();
    auto It = Processes.find(Fd);
    if (It == Processes.end() || It->second.Who.Pid != Pid)
      continue;
    std::fprintf(stderr,
                 "k42-kernel: process %u (%s) does not read what the kernel "
                 "sends it; disconnecting it\n",
                 Pid, It->second.Name.c_str());
    drop(Fd);
  }
}

void Kernel::fail(Process &P, uint32_t Seq, int Errno) {
  Message M{};
  M.Type = MessageType::Error;
  M.Seq = Seq;
  M.Status = Status::error(Errno).raw();
  send(P, M);
}

void Kernel::connected(Process &Client, uint32_t Seq, ObjectHandle Root,
                       pid_t ServerHostPid, int Chan) {
  Message R{};
  R.Type = MessageType::Connected;
  R.Seq = Seq;
  R.Handle = Root;
  // Its size, so that the client need not ask it (nor its seals): the
  // kernel made and sealed it.
  R.Status = Status::ok(int64_t(Channel::sizeFor(SlotsPerChannel))).raw();
  // A client outside the system's pid namespace (pid 0 here) cannot
  // name the server by its pid: it gets 0 and a pidfd of the server to
  // watch instead.
  int Watch = -1;
  R.ServerPid = ServerHostPid;
  if (Client.HostPid == 0) {
    R.ServerPid = 0;
    Watch = int(syscall(SYS_pidfd_open, ServerHostPid, 0));
  }
  bool Sent = send(Client, R, Chan, Watch);
  if (Watch >= 0)
    close(Watch);
  if (!Sent)
    fail(Client, Seq, errc::PeerDied);
}

void Kernel::refreshCredentials(Process &P) {
  // The host's word, not the process's: its effective ids, as SO_PEERCRED
  // gave them at connect(). A process outside the system's pid namespace
  // (HostPid 0) keeps those.
  if (P.HostPid <= 0)
    return;
  std::ifstream Status("/proc/" + std::to_string(P.HostPid) + "/status");
  std::string Line;
  long Ids[2] = {-1, -1};
  while (std::getline(Status, Line)) {
    bool IsUid = Line.rfind("Uid:", 0) == 0, IsGid = Line.rfind("Gid:", 0) == 0;
    if (!IsUid && !IsGid)
      continue;
    std::istringstream Fields(Line.substr(4));
    long Real = -1, Effective = -1;
    if (Fields >> Real >> Effective)
      Ids[IsUid ? 0 : 1] = Effective;
  }
  if (Ids[0] < 0 || Ids[1] < 0)
    return;
  P.Who.Uid = uint32_t(Ids[0]);
  P.Who.Gid = uint32_t(Ids[1]);
}

bool Kernel::handle(Process &P) {
  Message M{};
  int Fd = -1;
  if (Status S = receiveMessage(P.Fd, M, &Fd); !S) {
    if (S.errorCode() == errc::BadMessage) {
      fail(P, 0, EBADMSG);
      return true; // Read (and refused): the next one may be good.
    }
    if (S.errorCode() == EAGAIN)
      return false; // Nothing (more) to read.
    drop(P.Fd);
    return false;
  }
  // Processes never send the kernel file descriptors.
  if (Fd >= 0)
    close(Fd);
  if (P.Refused) {
    fail(P, M.Seq, EACCES);
    return true;
  }
  // What changes the system itself is its owner's (or root's) to ask, not
  // that of a process of the system that became another user.
  if ((M.Type == MessageType::Register || M.Type == MessageType::Shutdown) &&
      P.Who.Uid != 0 && P.Who.Uid != geteuid()) {
    fail(P, M.Seq, EPERM);
    return true;
  }
  switch (M.Type) {
  case MessageType::Hello: {
    P.Name = M.Name;
    kernelEvent(trace::KernelMinor::Joined,
                [&] { return std::to_string(P.Who.Pid) + " " + P.Name; });
    if (M.State & HelloNoReply)
      return true;
    Message R{};
    R.Type = MessageType::Hello;
    R.Seq = M.Seq;
    R.Who = P.Who;
    send(P, R);
    return true;
  }
  case MessageType::Register: {
    std::string Path = M.Name;
    // An empty path: "I serve clients", with names kept by the name server.
    if (Path.empty()) {
      P.Registered = true;
      Message R{};
      R.Type = MessageType::Register;
      R.Seq = M.Seq;
      send(P, R);
      return true;
    }
    if (Path[0] != '/') {
      fail(P, M.Seq, EINVAL);
      return true;
    }
    if (Services.count(Path)) {
      fail(P, M.Seq, EEXIST);
      return true;
    }
    Services[Path] = P.Fd;
    P.Registered = true;
    Message R{};
    R.Type = MessageType::Register;
    R.Seq = M.Seq;
    send(P, R);
    return true;
  }
  case MessageType::Credentials:
    refreshCredentials(P);
    return true;
  case MessageType::Connect: {
    // The personality's first Connect is its hello too: the same name, the
    // same trace event, no reply of its own.
    if ((M.State & ConnectSaysHello) && P.Name.empty()) {
      P.Name = PersonalityName;
      kernelEvent(trace::KernelMinor::Joined,
                  [&] { return std::to_string(P.Who.Pid) + " " + P.Name; });
    }
    // Either to the process the name server named (Who.Pid), or to the
    // holder of a path the kernel itself keeps (the name server's own).
    if (Options.RefuseLinuxMs > 0 && P.Name == PersonalityName &&
        std::chrono::steady_clock::now() < RefuseLinuxUntil) {
      fail(P, M.Seq, EAGAIN);
      return true;
    }
    // A personality process outside the system's pid namespace (its pid
    // here is 0) would act on pids that are not the system's.
    if (P.HostPid == 0 && P.Name == PersonalityName) {
      fail(P, M.Seq, OutsideSystem);
      return true;
    }
    int ServerFd = -1;
    if (M.Who.Pid != 0) {
      for (auto &[Fd, Q] : Processes)
        if (Q.Who.Pid == M.Who.Pid && Q.Registered)
          ServerFd = Fd;
    } else if (auto Service = Services.find(M.Name);
               Service != Services.end()) {
      ServerFd = Service->second;
    }
    if (ServerFd < 0) {
      fail(P, M.Seq, ENOENT);
      return true;
    }
    if (std::count_if(Pending.begin(), Pending.end(), [&](const auto &E) {
          return E.second.ClientFd == P.Fd;
        }) >= std::ptrdiff_t(MaxPendingPerClient)) {
      fail(P, M.Seq, EAGAIN);
      return true;
    }
    Process &Server = Processes.find(ServerFd)->second;
    Result<ChannelFd> Made = takeChannel();
    if (!Made) {
      fail(P, M.Seq, Made.status().errorCode());
      return true;
    }
    ChannelFd Chan = std::move(*Made);
    // Never 0 and never one still pending, even after the counter wraps.
    uint32_t Seq;
    do
      Seq = NextSeq++;
    while (Seq == 0 || Pending.count(Seq));
    bool AtOnce = (M.State & ConnectAnswerAtOnce) != 0;
    Message N{};
    N.Type = MessageType::NewClient;
    N.Seq = Seq;
    N.Who = P.Who;
    N.State = AtOnce ? NewClientAnswerInChannel : 0;
    // Its size, so that the server need not ask it (nor its seals).
    N.Status = Status::ok(int64_t(Channel::sizeFor(SlotsPerChannel))).raw();
    setName(N, M.Name);
    kernelEvent(trace::KernelMinor::Channel, [&] {
      return std::to_string(P.Who.Pid) + " -> " +
             std::to_string(Server.Who.Pid) + " " + M.Name;
    });
    if (!send(Server, N, Chan.get())) {
      fail(P, M.Seq, errc::PeerDied);
      return true;
    }
    // From now on the server may hold something of this client (the
    // channel, a handle, a watch), answered or not: it is told when the
    // client is gone.
    if (std::find(P.Served.begin(), P.Served.end(), Server.Who.Pid) ==
        P.Served.end())
      P.Served.push_back(Server.Who.Pid);
    // Answered at once: the client gets its end now and waits for the
    // server's answer in the channel; the kernel keeps nothing of this
    // connect and is not woken again for it. The server knows the client
    // from the NewClient, as before: the channel is still the kernel's to
    // give, and a server that dies before answering is seen by the
    // client's watch of it.
    if (AtOnce) {
      connected(P, M.Seq, ObjectHandle{}, Server.HostPid, Chan.get());
      // Its process waits for this answer and sends nothing meanwhile: no
      // read that would find nothing (anything it did send is read next
      // round, its socket still readable).
      return false;
    }
    // The kernel keeps its end until the server answers, then gives it to
    // the client and forgets it.
    Pending.emplace(Seq, PendingConnect{P.Fd, M.Seq, Server.Fd, Server.HostPid,
                                        std::move(Chan)});
    return true;
  }
  case MessageType::ClientReady: {
    auto It = Pending.find(M.Seq);
    if (It == Pending.end() || It->second.ServerFd != P.Fd)
      return true; // Not this server's connect, or one forgotten since.
    PendingConnect C = std::move(It->second);
    Pending.erase(It);
    // drop() forgets the connects of a process that is gone.
    auto ClientIt = Processes.find(C.ClientFd);
    if (ClientIt == Processes.end())
      return true;
    Process &Client = ClientIt->second;
    if (M.Status < 0) {
      // The server's reason, if it is an errno at all.
      fail(Client, C.ClientSeq,
           M.Status >= -MaxErrno ? int(-M.Status) : EPROTO);
      return true;
    }
    connected(Client, C.ClientSeq, M.Handle, C.ServerHostPid, C.Chan.get());
    return true;
  }
  case MessageType::List: {
    for (auto &[Fd, Q] : Processes) {
      Message R{};
      R.Type = MessageType::ProcessInfo;
      R.Seq = M.Seq;
      R.Who = Q.Who;
      R.ServerPid = Q.HostPid;
      R.State = ProcessRunning | (Options.Init ? ProcessPidIsSystems : 0);
      setName(R, Q.Name.empty() ? "?" : Q.Name);
      if (!send(P, R))
        return true;
    }
    Message End{};
    End.Type = MessageType::ListEnd;
    End.Seq = M.Seq;
    send(P, End);
    return true;
  }
  case MessageType::Shutdown:
    ShuttingDown = true;
    return true;
  default:
    fail(P, M.Seq, EINVAL);
    return true;
  }
}

void Kernel::drop(int Fd) {
  auto It = Processes.find(Fd);
  if (It == Processes.end())
    return;
  Badge Gone = It->second.Who;
  std::vector<ProcessId> Served = std::move(It->second.Served);
  kernelEvent(trace::KernelMinor::Left, [&] {
    return std::to_string(Gone.Pid) + " " + It->second.Name;
  });
  for (Outgoing &O : It->second.Outbox)
    closeCopies(O);
  close(Fd);
  Processes.erase(It);
  for (auto S = Services.begin(); S != Services.end();)
    S = S->second == Fd ? Services.erase(S) : std::next(S);
  // Connects waiting on a dead server fail. Those of a dead client are
  // forgotten: the server's late answer must not reach whichever process
  // gets this descriptor number next.
  for (auto P = Pending.begin(); P != Pending.end();) {
    if (P->second.ServerFd != Fd && P->second.ClientFd != Fd) {
      P = std::next(P);
      continue;
    }
    if (auto Client = Processes.find(P->second.ClientFd);
        Client != Processes.end())
      fail(Client->second, P->second.ClientSeq, errc::PeerDied);
    P = Pending.erase(P);
  }
  // The servers it had channels to reclaim what they gave the process
  // that is gone; the others never heard of it.
  Message M{};
  M.Type = MessageType::ClientGone;
  M.Who = Gone;
  for (auto &[OtherFd, Other] : Processes)
    if (Other.Registered &&
        std::find(Served.begin(), Served.end(), Other.Who.Pid) != Served.end())
      send(Other, M);
}

void Kernel::reapChildren() {
  // As init, every child: the servers and the orphans the host gave it.
  // They are reaped first; the servers among them are then ECHILD below.
  if (Options.Init) {
    int Status;
    while (waitpid(-1, &Status, WNOHANG) > 0)
      ;
  }
  // Otherwise only the servers this kernel started: a program running a
  // kernel on one of its threads keeps the exit status of its other
  // children.
  std::erase_if(Spawned, [](pid_t Pid) {
    int Status;
    pid_t Reaped = waitpid(Pid, &Status, WNOHANG);
    return Reaped == Pid || (Reaped < 0 && errno == ECHILD);
  });
}

void Kernel::stopEverything() {
  Message M{};
  M.Type = MessageType::Shutdown;
  for (auto &[Fd, P] : Processes)
    send(P, M);
  // Processes get a while to read what is still queued for them (the
  // Shutdown last), and the servers we started to exit.
  auto Deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  for (;;) {
    reapChildren();
    std::vector<pollfd> Fds;
    for (auto &[Fd, P] : Processes)
      if (!P.Outbox.empty() && !P.Unresponsive)
        Fds.push_back({Fd, POLLOUT, 0});
    if ((Fds.empty() && Spawned.empty()) ||
        std::chrono::steady_clock::now() >= Deadline)
      break;
    if (poll(Fds.data(), Fds.size(), 10) <= 0)
      continue;
    for (pollfd &F : Fds)
      if (F.revents)
        flush(Processes.find(F.fd)->second);
  }
  for (pid_t Pid : Spawned)
    kill(Pid, SIGKILL);
  for (pid_t Pid : Spawned) {
    int Status;
    while (waitpid(Pid, &Status, 0) < 0 && errno == EINTR)
      ;
  }
  Spawned.clear();
}

} // namespace k42::kernel
