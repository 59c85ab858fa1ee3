//===- kernel/lib/Kernel.cpp - The K42 kernel process ---------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "Kernel.h"
#include "BootDescription.h"

#include "k42/ipc/Channel.h"
#include "k42/kernel/KernelLink.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace k42::kernel {
namespace {

/// Channels the kernel makes have one slot per client thread, up to this.
constexpr uint32_t SlotsPerChannel = 64;

void setName(Message &M, const std::string &Name) {
  size_t N = std::min(Name.size(), sizeof(M.Name) - 1);
  std::memcpy(M.Name, Name.data(), N);
  M.Name[N] = '\0';
}

} // namespace

Kernel::~Kernel() {
  for (auto &[Fd, P] : Processes)
    close(Fd);
  if (ListenFd >= 0) {
    close(ListenFd);
    unlink(Options.SocketPath.c_str());
  }
}

Status Kernel::listen() {
  // The socket's directory is the kernel's: only this user may connect.
  std::string Dir = Options.SocketPath.substr(0, Options.SocketPath.rfind('/'));
  if (!Dir.empty())
    mkdir(Dir.c_str(), 0700);
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
  ListenFd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
  bool Ok = ListenFd >= 0 &&
            bind(ListenFd, reinterpret_cast<sockaddr *>(&Address),
                 sizeof(Address)) == 0 &&
            chmod(Options.SocketPath.c_str(), 0600) == 0 &&
            ::listen(ListenFd, 64) == 0;
  int Error = errno;
  if (DirFd >= 0)
    close(DirFd);
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

Status Kernel::boot() {
  if (Status S = listen(); !S)
    return S;
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
    if (Registered >= Spawned.size())
      return Status::ok();
    reapChildren();
    if (Spawned.empty() && Registered == 0 && Options.BootFile.empty())
      return Status::ok();
    if (std::chrono::steady_clock::now() > Deadline)
      return Status::error(ETIMEDOUT);
    pollOnce(50);
  }
}

Status Kernel::run(const volatile int *StopRequested) {
  while (!ShuttingDown && !(StopRequested && *StopRequested))
    pollOnce(200);
  stopEverything();
  return Status::ok();
}

void Kernel::pollOnce(int TimeoutMs) {
  std::vector<pollfd> Fds;
  Fds.push_back({ListenFd, POLLIN, 0});
  for (auto &[Fd, P] : Processes)
    Fds.push_back({Fd, POLLIN, 0});
  int Ready = poll(Fds.data(), Fds.size(), TimeoutMs);
  reapChildren();
  if (Ready <= 0)
    return;
  if (Fds[0].revents & POLLIN)
    accept();
  for (size_t I = 1; I < Fds.size(); ++I) {
    if (!Fds[I].revents)
      continue;
    auto It = Processes.find(Fds[I].fd);
    if (It == Processes.end())
      continue;
    if (Fds[I].revents & POLLIN)
      handle(It->second);
    else
      drop(Fds[I].fd);
  }
}

void Kernel::accept() {
  int Fd = accept4(ListenFd, nullptr, nullptr, SOCK_CLOEXEC);
  if (Fd < 0)
    return;
  ucred Cred{};
  socklen_t Len = sizeof(Cred);
  if (getsockopt(Fd, SOL_SOCKET, SO_PEERCRED, &Cred, &Len) != 0) {
    close(Fd);
    return;
  }
  Process P;
  P.Fd = Fd;
  P.HostPid = Cred.pid;
  P.Who = Badge{NextPid++, Cred.uid, Cred.gid, 0};
  Processes[Fd] = P;
}

void Kernel::reply(const Process &P, Message M, int PassFd) {
  M.Status = M.Type == MessageType::Error ? M.Status : 0;
  (void)sendMessage(P.Fd, M, PassFd);
}

void Kernel::fail(int Fd, uint32_t Seq, int Errno) {
  Message M{};
  M.Type = MessageType::Error;
  M.Seq = Seq;
  M.Status = Status::error(Errno).raw();
  (void)sendMessage(Fd, M);
}

void Kernel::handle(Process &P) {
  Message M{};
  int Fd = -1;
  if (Status S = receiveMessage(P.Fd, M, &Fd); !S) {
    if (S.errorCode() == errc::BadMessage) {
      fail(P.Fd, 0, EBADMSG);
      return;
    }
    drop(P.Fd);
    return;
  }
  // Processes never send the kernel file descriptors.
  if (Fd >= 0)
    close(Fd);
  switch (M.Type) {
  case MessageType::Hello: {
    P.Name = M.Name;
    Message R{};
    R.Type = MessageType::Hello;
    R.Seq = M.Seq;
    R.Who = P.Who;
    reply(P, R);
    return;
  }
  case MessageType::Register: {
    std::string Path = M.Name;
    // An empty path: "I serve clients", with names kept by the name server.
    if (Path.empty()) {
      P.Registered = true;
      Message R{};
      R.Type = MessageType::Register;
      R.Seq = M.Seq;
      reply(P, R);
      return;
    }
    if (Path[0] != '/') {
      fail(P.Fd, M.Seq, EINVAL);
      return;
    }
    if (Services.count(Path)) {
      fail(P.Fd, M.Seq, EEXIST);
      return;
    }
    Services[Path] = P.Fd;
    P.Registered = true;
    Message R{};
    R.Type = MessageType::Register;
    R.Seq = M.Seq;
    reply(P, R);
    return;
  }
  case MessageType::Connect: {
    // Either to the process the name server named (Who.Pid), or to the
    // holder of a path the kernel itself keeps (the name server's own).
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
      fail(P.Fd, M.Seq, ENOENT);
      return;
    }
    Process &Server = Processes[ServerFd];
    Result<Channel> Chan = Channel::create(SlotsPerChannel);
    if (!Chan) {
      fail(P.Fd, M.Seq, Chan.status().errorCode());
      return;
    }
    uint32_t Seq = NextSeq++;
    Message N{};
    N.Type = MessageType::NewClient;
    N.Seq = Seq;
    N.Who = P.Who;
    setName(N, M.Name);
    if (!sendMessage(Server.Fd, N, Chan->fd())) {
      fail(P.Fd, M.Seq, errc::PeerDied);
      return;
    }
    // The kernel keeps its end until the server answers, then gives it to
    // the client and forgets it.
    Pending[Seq] = {P.Fd, M.Seq, Server.Fd, Server.HostPid};
    PendingChannels.emplace(Seq, std::move(*Chan));
    return;
  }
  case MessageType::ClientReady: {
    auto It = Pending.find(M.Seq);
    if (It == Pending.end() || It->second.ServerFd != P.Fd)
      return; // Not a connect this server was asked about.
    PendingConnect C = It->second;
    Pending.erase(It);
    auto ChanIt = PendingChannels.find(M.Seq);
    Channel Chan = std::move(ChanIt->second);
    PendingChannels.erase(ChanIt);
    if (!Processes.count(C.ClientFd))
      return;
    if (M.Status < 0) {
      fail(C.ClientFd, C.ClientSeq, int(-M.Status));
      return;
    }
    Message R{};
    R.Type = MessageType::Connected;
    R.Seq = C.ClientSeq;
    R.Handle = M.Handle;
    R.ServerPid = C.ServerHostPid;
    (void)sendMessage(C.ClientFd, R, Chan.fd());
    return;
  }
  case MessageType::List: {
    for (auto &[Fd, Q] : Processes) {
      Message R{};
      R.Type = MessageType::ProcessInfo;
      R.Seq = M.Seq;
      R.Who = Q.Who;
      R.ServerPid = Q.HostPid;
      R.State = 1;
      setName(R, Q.Name.empty() ? "?" : Q.Name);
      (void)sendMessage(P.Fd, R);
    }
    Message End{};
    End.Type = MessageType::ListEnd;
    End.Seq = M.Seq;
    (void)sendMessage(P.Fd, End);
    return;
  }
  case MessageType::Shutdown:
    ShuttingDown = true;
    return;
  default:
    fail(P.Fd, M.Seq, EINVAL);
    return;
  }
}

void Kernel::drop(int Fd) {
  auto It = Processes.find(Fd);
  if (It == Processes.end())
    return;
  Badge Gone = It->second.Who;
  close(Fd);
  Processes.erase(It);
  for (auto S = Services.begin(); S != Services.end();)
    S = S->second == Fd ? Services.erase(S) : std::next(S);
  // Connects waiting on a dead server fail; those of a dead client lapse.
  for (auto P = Pending.begin(); P != Pending.end();) {
    if (P->second.ServerFd == Fd) {
      if (Processes.count(P->second.ClientFd))
        fail(P->second.ClientFd, P->second.ClientSeq, errc::PeerDied);
      PendingChannels.erase(P->first);
      P = Pending.erase(P);
    } else {
      P = std::next(P);
    }
  }
  // Servers reclaim what they gave the process that is gone.
  Message M{};
  M.Type = MessageType::ClientGone;
  M.Who = Gone;
  for (auto &[OtherFd, Other] : Processes)
    if (Other.Registered)
      (void)sendMessage(OtherFd, M);
}

void Kernel::reapChildren() {
  int Status;
  pid_t Pid;
  while ((Pid = waitpid(-1, &Status, WNOHANG)) > 0)
    std::erase(Spawned, Pid);
}

void Kernel::stopEverything() {
  Message M{};
  M.Type = MessageType::Shutdown;
  for (auto &[Fd, P] : Processes)
    (void)sendMessage(Fd, M);
  auto Deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (!Spawned.empty() && std::chrono::steady_clock::now() < Deadline) {
    reapChildren();
    usleep(10000);
  }
  for (pid_t Pid : Spawned)
    kill(Pid, SIGKILL);
  while (!Spawned.empty()) {
    int Status;
    pid_t Pid = waitpid(-1, &Status, 0);
    if (Pid <= 0)
      break;
    std::erase(Spawned, Pid);
  }
}

} // namespace k42::kernel
