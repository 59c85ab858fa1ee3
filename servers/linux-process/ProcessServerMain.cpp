//===- servers/linux-process/ProcessServerMain.cpp - The programs ---------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "ProcessServerMain.h"
#include "LinuxProcess.k42.h"
#include "ProcessServer.h"

#include <k42/kernel/KernelLink.h>
#include <k42/kernel/ServiceHost.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

using namespace k42;
using namespace k42::linuxproc;

int k42::linuxproc::processServerMain(int, char **) {
  Result<std::unique_ptr<kernel::KernelLink>> Link =
      kernel::KernelLink::connect("linux-process",
                                  kernel::KernelLink::defaultSocketPath());
  if (!Link) {
    std::fprintf(stderr, "linux-process: cannot reach the kernel: %s\n",
                 std::string(Link.status().message()).c_str());
    return 1;
  }
  if (Status S = (*Link)->registerService(ServicePath); !S) {
    std::fprintf(stderr, "linux-process: cannot register %s: %s\n", ServicePath,
                 std::string(S.message()).c_str());
    return 1;
  }
  ProcessServer Server;
  XLinuxProcess Exported(Server);
  kernel::ServiceHost Host(**Link);
  // Every client may call every method: what a call may do is decided by
  // the process its badge is bound to.
  Status Done = Host.serve(Exported, MetaLinuxProcess::Rights::all,
                           [&](const Badge &Gone) { Server.forget(Gone.Pid); });
  return Done.isOk() ? 0 : 1;
}

int k42::linuxproc::psMain(int Argc, char **) {
  if (Argc > 1) {
    std::fprintf(stderr, "usage: k42-linux-ps\n");
    return 2;
  }
  Result<std::unique_ptr<kernel::KernelLink>> Link =
      kernel::KernelLink::connect("k42-linux-ps",
                                  kernel::KernelLink::defaultSocketPath());
  if (!Link) {
    std::fprintf(stderr, "k42-linux-ps: no system: %s\n",
                 std::string(Link.status().message()).c_str());
    return 1;
  }
  Result<kernel::ServiceConnection> C = (*Link)->connectService(ServicePath);
  if (!C) {
    std::fprintf(stderr, "k42-linux-ps: no Linux process server: %s\n",
                 std::string(C.status().message()).c_str());
    return 1;
  }
  Result<StubLinuxProcess> Stub =
      StubLinuxProcess::bind(*C->Transport, C->Root);
  std::vector<ProcessInfo> All;
  Status S = Stub ? Stub->list(All) : Stub.status();
  if (!S) {
    std::fprintf(stderr, "k42-linux-ps: %s\n",
                 std::string(S.message()).c_str());
    return 1;
  }
  std::printf("%7s %7s %7s %7s %5s %5s %-6s %5s %-15s %s\n", "PID", "PPID",
              "PGID", "SID", "UID", "EUID", "STATE", "GROUPS", "NAME", "FLAGS");
  for (const ProcessInfo &P : All) {
    std::string Flags;
    if (P.Flags & FlagExeced)
      Flags += "exec ";
    if (P.Flags & FlagConnected)
      Flags += "connected ";
    if (P.Pid == ProcessTable::InitPid)
      Flags += "init ";
    if (!Flags.empty())
      Flags.pop_back();
    // The name as the server sent it: at most NameMax bytes, whatever
    // they are.
    std::string Name(P.Name, strnlen(P.Name, NameMax));
    if (Name.empty())
      Name = "-";
    std::printf("%7d %7d %7d %7d %5u %5u %-6s %5u %-15s %s\n", P.Pid, P.Parent,
                P.Group, P.Session, P.Ruid, P.Euid,
                P.State == StateZombie ? "zombie" : "run", P.GroupCount,
                Name.c_str(), Flags.c_str());
  }
  return 0;
}
